package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.dynamodbcache.core.StreamReader.ChangedKey;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidationFeedUnitTests {

	@Test
	void changedKeysAreSplitIntoEntriesWithinAnItemsBoundsKeepingTheirOrder() {
		List<ChangedKey> keys = new ArrayList<>();
		IntStream.range(0, 1_234).forEach((i) -> keys.add(new ChangedKey("books", "k" + i)));
		// Keys of the longest sort key: about 1 KB each, so the byte bound splits before the count bound.
		IntStream.range(0, 600).forEach((i) -> keys.add(new ChangedKey("pages", "p".repeat(1_000) + i)));

		List<List<ChangedKey>> entries = InvalidationFeed.split(keys);

		assertThat(entries.stream().flatMap(List::stream).toList()).isEqualTo(keys);
		assertThat(entries).allSatisfy((entry) -> {
			assertThat(entry).hasSizeLessThanOrEqualTo(InvalidationFeed.MAX_KEYS);
			assertThat(entry.stream().mapToInt((key) -> key.cacheName().length() + key.sortKey().length()).sum())
				.isLessThanOrEqualTo(InvalidationFeed.MAX_KEY_BYTES);
		});
		assertThat(InvalidationFeed.split(List.of())).isEmpty();
	}

	@Test
	void entryNumbersSortAsNumbers() {
		assertThat(InvalidationFeed.sortKey(9)).isLessThan(InvalidationFeed.sortKey(10));
		assertThat(InvalidationFeed.sortKey(Long.MAX_VALUE)).isLessThan(InvalidationFeed.LEASE_SORT_KEY);
	}

}
