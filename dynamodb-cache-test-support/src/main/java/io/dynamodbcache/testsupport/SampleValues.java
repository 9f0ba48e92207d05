package io.dynamodbcache.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Values of a realistic shape for measurements of size and capacity, the same in tests and benchmarks.
 */
public final class SampleValues {

	private static final String[] WORDS = { "dune", "foundation", "empire", "robot", "stars", "winter", "city",
			"river", "machine", "garden", "night", "ocean", "silver", "shadow", "fire", "glass" };

	private SampleValues() {
	}

	/**
	 * Catalogue records of the sample app's kind (isbn, title, author, year, price, tags, in stock), as maps
	 * of JDK types, from a fixed seed: about 290 bytes of JSON each.
	 * @param count how many records
	 * @return the records, the same for the same count
	 */
	public static List<Map<String, Object>> catalogue(int count) {
		Random random = new Random(42);
		List<Map<String, Object>> books = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, Object> book = new LinkedHashMap<>();
			book.put("isbn", "978-" + (1_000_000_000L + random.nextInt(900_000_000)));
			book.put("title", word(random) + " " + word(random));
			book.put("author", word(random) + " " + word(random));
			book.put("year", 1950 + random.nextInt(75));
			book.put("price", Math.round(random.nextDouble() * 5000) / 100.0);
			book.put("tags", List.of(word(random), word(random)));
			book.put("inStock", random.nextBoolean());
			books.add(book);
		}
		return books;
	}

	private static String word(Random random) {
		return WORDS[random.nextInt(WORDS.length)];
	}

}
