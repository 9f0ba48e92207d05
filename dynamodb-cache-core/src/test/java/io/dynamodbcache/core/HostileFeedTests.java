package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items that someone else wrote into the invalidation feed's partition, a kind at a time, on two nodes with
 * near caches whose copies live ten minutes: after each, a write on one node still reaches the other's near
 * cache through the feed, again and again, and both say they read the stream. Before, items in the reader's
 * next slots left the fleet without a reader, and an entry far ahead made every node ignore every later
 * entry while saying it read the stream.
 */
@DynamoDbLocalTest
class HostileFeedTests {

	private static final NearCacheSettings LONG_LIVED = new NearCacheSettings(1_000, Duration.ofMinutes(10));

	/** Far longer than invalidation takes (a poll of 100 ms, a lease time of 5 s), far shorter than a copy lives. */
	private static final Duration INVALIDATED_WITHIN = Duration.ofSeconds(30);

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@ParameterizedTest
	@EnumSource(Hostile.class)
	void invalidationResumesAfterEveryKindOfItemSomeoneElseWritesIntoTheFeed(Hostile hostile, DynamoDbClient client,
			UniqueTableName table) {
		DynamoDbCacheStore writer = node(client, table.value());
		DynamoDbCacheStore follower = node(client, table.value());
		writer.put("c", "k", "v0");
		await(() -> "v0".equals(follower.get("c", "k")));

		long next = lastSequence(client, table.value()) + 1;
		for (Map<String, AttributeValue> item : hostile.items(next)) {
			client.putItem((request) -> request.tableName(table.value()).item(item));
		}

		for (int round = 1; round <= 3; round++) {
			String value = "v" + round;
			long start = System.nanoTime();
			writer.put("c", "k", value);
			await(() -> value.equals(follower.get("c", "k")));
			System.out.printf("%s: round %d invalidated after %d ms%n", hostile, round,
					(System.nanoTime() - start) / 1_000_000);
		}
		await(() -> follower.isReadingStream() && writer.isReadingStream());
		if (hostile.farAhead()) {
			// The reader deletes what no reader wrote far ahead, which every node would read at every poll.
			await(() -> lastSequence(client, table.value()) < next + 100);
		}
	}

	private DynamoDbCacheStore node(DynamoDbClient client, String table) {
		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		this.closeables.add(streams);
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
			.tableName(table)
			.streamsClient(streams)
			.streamPollInterval(Duration.ofMillis(100))
			.build();
		this.closeables.add(store::close);
		DynamoDbCacheStore near = store.withNearCache(LONG_LIVED);
		await(near::isReadingStream);
		return near;
	}

	private static long lastSequence(DynamoDbClient client, String table) {
		List<Map<String, AttributeValue>> items = client.query((request) -> request.tableName(table)
			.keyConditionExpression("pk = :pk AND sk < :lease")
			.expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(InvalidationFeed.PARTITION), ":lease",
					AttributeValue.fromS(InvalidationFeed.LEASE_SORT_KEY)))
			.scanIndexForward(false)
			.limit(1)
			.consistentRead(true)).items();
		return items.isEmpty() ? 0 : Long.parseLong(items.get(0).get("sk").s());
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(INVALIDATED_WITHIN)
			.pollInterval(Duration.ofMillis(10))
			.until(condition::getAsBoolean);
	}

	/** What someone else may write into the feed, given the number of the slot the reader writes next. */
	enum Hostile {

		/** Five items in the reader's next slots, none of them an entry. */
		MALFORMED_ITEMS_IN_THE_NEXT_SLOTS((next) -> {
			List<Map<String, AttributeValue>> items = new ArrayList<>();
			items.add(item(next, Map.of()));
			items.add(item(next + 1, Map.of("c", AttributeValue.fromS("c"), "k", AttributeValue.fromS("k"))));
			items.add(item(next + 2, Map.of("c", list(3, "c"), "k", list(2, "k"), "cp", AttributeValue.fromM(Map.of()))));
			items.add(item(next + 3, Map.of("c", list(1, "c"), "k", list(1, "k"), "cp", AttributeValue.fromS("cp"))));
			items.add(item(next + 4, Map.of("c", AttributeValue.fromL(List.of(AttributeValue.fromN("1"))),
					"k", list(1, "k"), "cp", AttributeValue.fromM(Map.of()))));
			return items;
		}),

		/** A well-formed entry in the reader's next slot, naming a key nobody wrote. */
		A_FORGED_ENTRY_IN_THE_NEXT_SLOT((next) -> List.of(entry(next, 1))),

		/** A well-formed entry at the highest number there is. */
		AN_ENTRY_AT_LONG_MAX_VALUE((next) -> List.of(entry(Long.MAX_VALUE, 1))),

		/** A well-formed entry a million slots ahead, under the ceiling no reader reaches. */
		AN_ENTRY_A_MILLION_AHEAD((next) -> List.of(entry(next + 1_000_000, 1))),

		/** An entry far ahead with 40,000 keys, far more than an entry has: about 320 KB. */
		A_HUGE_ENTRY_FAR_AHEAD((next) -> List.of(item(next + 10_000, Map.of("c", list(40_000, "c"), "k", list(40_000, "k"),
				"cp", AttributeValue.fromM(Map.of()))))),

		/** Items whose sort keys are no numbers, or number 0. */
		ITEMS_THAT_ARE_NO_ENTRIES((next) -> List.of(item("abc", Map.of()), item("0000000000000000000", Map.of()),
				item("-000000000000000001", Map.of())));

		private final LongFunction<List<Map<String, AttributeValue>>> items;

		Hostile(LongFunction<List<Map<String, AttributeValue>>> items) {
			this.items = items;
		}

		List<Map<String, AttributeValue>> items(long next) {
			return this.items.apply(next);
		}

		boolean farAhead() {
			return this == AN_ENTRY_AT_LONG_MAX_VALUE || this == AN_ENTRY_A_MILLION_AHEAD
					|| this == A_HUGE_ENTRY_FAR_AHEAD;
		}

		private static Map<String, AttributeValue> entry(long sequence, int keys) {
			return item(sequence, Map.of("c", list(keys, "c"), "k", list(keys, "forged"), "cp",
					AttributeValue.fromM(Map.of()), "reset", AttributeValue.fromBool(false)));
		}

		private static Map<String, AttributeValue> item(long sequence, Map<String, AttributeValue> attributes) {
			return item(InvalidationFeed.sortKey(sequence), attributes);
		}

		private static Map<String, AttributeValue> item(String sortKey, Map<String, AttributeValue> attributes) {
			Map<String, AttributeValue> item = new HashMap<>(attributes);
			item.put("pk", AttributeValue.fromS(InvalidationFeed.PARTITION));
			item.put("sk", AttributeValue.fromS(sortKey));
			return item;
		}

		private static AttributeValue list(int size, String value) {
			List<AttributeValue> values = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				values.add(AttributeValue.fromS(value));
			}
			return AttributeValue.fromL(values);
		}

	}

}
