package io.dynamodbcache.benchmarks;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.testsupport.SampleValues;

/**
 * What the type ids of the JSON codec cost in billed capacity, and what a more compact form of them would
 * save: for values of about 200 bytes, 1.5 KB and 10 KB, the size of plain JSON (no type ids), of the codec's
 * JSON (each object's {@code "@class"} with its full class name, collections as {@code [class, [...]]}), and
 * of the same JSON with every type id replaced by a two-character alias from a table (what a registry of
 * type aliases would store), each as is and compressed; and the write units an item of each would cost,
 * with the store's rule of compressing when that bills fewer units and about 150 bytes of key and expiry
 * attributes.
 * <p>
 * Not JMH: it measures sizes. Run with
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.TypeIdSizeReport}.
 */
public final class TypeIdSizeReport {

	/** Key, cache name, format and expiry attributes of an item, about what the store adds to a value. */
	private static final int ITEM_OVERHEAD = 150;

	private static final Pattern TYPE_ID = Pattern.compile("\"((?:java|io)\\.[A-Za-z0-9_.$]+)\"");

	private TypeIdSizeReport() {
	}

	public static void main(String[] args) throws Exception {
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Book.class).build();
		ObjectMapper plain = new ObjectMapper();
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("1 record (~200 B)", books(1).get(0));
		values.put("5 records (~1.5 KB)", books(5));
		values.put("35 records (~10 KB)", books(35));
		values.put("5 maps (~1.5 KB)", SampleValues.catalogue(5));
		values.put("35 maps (~10 KB)", SampleValues.catalogue(35));
		System.out.println("| value | plain JSON | with type ids | compact type ids | compressed: plain / type ids "
				+ "/ compact | WCU: plain / type ids / compact |");
		System.out.println("|---|---:|---:|---:|---|---|");
		for (Map.Entry<String, Object> value : values.entrySet()) {
			byte[] untyped = plain.writeValueAsBytes(value.getValue());
			byte[] typed = codec.encode(value.getValue());
			byte[] compact = compact(typed);
			System.out.printf("| %s | %,d B | %,d B (+%d %%) | %,d B (+%d %%) | %,d / %,d / %,d B | %d / %d / %d |%n",
					value.getKey(), untyped.length, typed.length, percentMore(typed, untyped), compact.length,
					percentMore(compact, untyped), deflate(untyped).length, deflate(typed).length,
					deflate(compact).length, writeUnits(untyped), writeUnits(typed), writeUnits(compact));
		}
	}

	/** The codec's JSON with every type id replaced by a two-character alias, and "@class" by "@c". */
	private static byte[] compact(byte[] typed) {
		Map<String, String> aliases = new LinkedHashMap<>();
		String json = new String(typed, StandardCharsets.UTF_8).replace("\"@class\":", "\"@c\":");
		Matcher matcher = TYPE_ID.matcher(json);
		StringBuilder compacted = new StringBuilder();
		while (matcher.find()) {
			String alias = aliases.computeIfAbsent(matcher.group(1),
					(name) -> String.format("%02d", aliases.size()));
			matcher.appendReplacement(compacted, "\"" + alias + "\"");
		}
		matcher.appendTail(compacted);
		return compacted.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static long percentMore(byte[] larger, byte[] base) {
		return Math.round(100.0 * (larger.length - base.length) / base.length);
	}

	/** Write units of the item, compressed when that bills fewer. */
	private static long writeUnits(byte[] value) {
		long size = Math.min(value.length, deflate(value).length) + ITEM_OVERHEAD;
		return (size + 1023) / 1024;
	}

	private static byte[] deflate(byte[] bytes) {
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		deflater.setInput(bytes);
		deflater.finish();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		while (!deflater.finished()) {
			out.write(buffer, 0, deflater.deflate(buffer));
		}
		deflater.end();
		return out.toByteArray();
	}

	private static List<Book> books(int count) {
		List<Book> books = new ArrayList<>();
		for (Map<String, Object> map : SampleValues.catalogue(count)) {
			books.add(new Book((String) map.get("isbn"), (String) map.get("title"), (String) map.get("author"),
					(Integer) map.get("year"), BigDecimal.valueOf((Double) map.get("price")),
					(List<?>) map.get("tags"), (Boolean) map.get("inStock")));
		}
		return books;
	}

	/** A catalogue record. */
	public record Book(String isbn, String title, String author, int year, BigDecimal price, List<?> tags,
			boolean inStock) {
	}

}
