package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.dynamodbcache.core.ItemMapper.PreparedItem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values are compressed when that lowers the write capacity units DynamoDB bills (per started KB of the
 * item), not above a fixed size: measured on JSON values of about 1.5 KB and 10 KB, against the former rule
 * (compress above 4 KB).
 */
class CapacityAwareCompressionUnitTests {

	private static final ValueCodec CODEC = JacksonValueCodec.create();

	private final ItemMapper mapper = new ItemMapper(new ItemLayout(16), CODEC, 0, 4 * 1024 * 1024);

	@Test
	void aJsonValueOfOneAndAHalfKilobytesCostsOneWriteUnitInsteadOfTwo() {
		List<Map<String, Object>> books = books(5);
		assertThat(CODEC.encode(books).length).isBetween(1400, 1700);

		assertThat(formerWriteUnits(books)).isEqualTo(2);
		assertThat(writeUnits(books)).isEqualTo(1);
	}

	@Test
	void aJsonValueOfTenKilobytesCostsNoMoreThanBefore() {
		List<Map<String, Object>> books = books(35);
		assertThat(CODEC.encode(books).length).isBetween(9500, 10800);

		assertThat(writeUnits(books)).isLessThanOrEqualTo(formerWriteUnits(books));
	}

	@Test
	void valuesThatCompressionCannotMakeCheaperAreStoredPlain() {
		PreparedItem small = this.mapper.prepare("c", "k", books(2), 0, 0);
		byte[] random = new byte[3000];
		new Random(7).nextBytes(random);
		PreparedItem incompressible = this.mapper.prepare("c", "k", random, 0, 0);

		assertThat(small.format()).isEqualTo(ItemLayout.FORMAT_PLAIN);
		assertThat(incompressible.format()).isEqualTo(ItemLayout.FORMAT_PLAIN);
		assertThat(this.mapper.prepare("c", "k", books(5), 0, 0).format()).isEqualTo(ItemLayout.FORMAT_DEFLATED);
	}

	@Test
	void aCompressedValueReadsBackAsWritten() {
		List<Map<String, Object>> books = books(5);
		Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = this.mapper
			.prepare("c", "k", books, 0, 0).item(1_000);

		ItemMapper.Live live = (ItemMapper.Live) this.mapper.read("k", item, 2_000);

		assertThat(live.value()).isEqualTo(books);
	}

	private long writeUnits(Object value) {
		return ItemMapper.writeUnits(ItemMapper.itemSize(this.mapper.prepare("c", "book-list", value, 60_000, 0).item(0)));
	}

	/** What the item cost when values were compressed above 4 KB only. */
	private long formerWriteUnits(Object value) {
		ItemMapper former = new ItemMapper(new ItemLayout(16), CODEC, Integer.MAX_VALUE, 4 * 1024 * 1024);
		PreparedItem plain = former.prepare("c", "book-list", value, 60_000, 0);
		long size = ItemMapper.itemSize(plain.item(0));
		if (plain.bytes().length > 4096) {
			size = size - plain.bytes().length + Compression.deflate(plain.bytes()).length;
		}
		return ItemMapper.writeUnits(size);
	}

	/** Catalogue records of the sample app's kind, in JSON with type ids. */
	private static List<Map<String, Object>> books(int count) {
		Random random = new Random(42);
		String[] words = { "dune", "foundation", "empire", "robot", "stars", "winter", "city", "river", "machine",
				"garden", "night", "ocean", "silver", "shadow", "fire", "glass" };
		List<Map<String, Object>> books = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, Object> book = new LinkedHashMap<>();
			book.put("isbn", "978-" + (1_000_000_000L + random.nextInt(900_000_000)));
			book.put("title", words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)]);
			book.put("author", words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)]);
			book.put("year", 1950 + random.nextInt(75));
			book.put("price", Math.round(random.nextDouble() * 5000) / 100.0);
			book.put("tags", List.of(words[random.nextInt(words.length)], words[random.nextInt(words.length)]));
			book.put("inStock", random.nextBoolean());
			books.add(book);
		}
		return books;
	}

}
