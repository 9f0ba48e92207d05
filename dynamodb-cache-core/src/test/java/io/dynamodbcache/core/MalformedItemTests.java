package io.dynamodbcache.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items that another writer left malformed in the table are a miss and one eviction for every operation;
 * none of them throws.
 */
@DynamoDbLocalTest
class MalformedItemTests {

	private static DynamoDbClient client;

	private static String table;

	private static DynamoDbCacheStore store;

	private String cache;

	@BeforeAll
	static void createStore(DynamoDbClient dynamoDb, UniqueTableName tableName) {
		client = dynamoDb;
		table = tableName.value();
		store = DynamoDbCacheStore.builder(client).tableName(table).shards(2).build();
	}

	@BeforeEach
	void freshCacheName() {
		this.cache = "cache-" + UUID.randomUUID();
	}

	@Test
	void anItemWithoutItsCreationTimeIsAMissAndIsEvicted() {
		store.put(this.cache, "k", "v", Duration.ofMinutes(5), Duration.ofMinutes(1));
		client.updateItem((request) -> request.tableName(table).key(primaryKey("k")).updateExpression("REMOVE createdAtMillis"));

		assertThat(store.getEntry(this.cache, "k")).isNull();
		assertThat(rawItem("k")).isNull();
	}

	@Test
	void badExpiryNumbersAreAMissAndAreEvicted() {
		for (String bad : List.of("1.5", "99999999999999999999")) {
			store.put(this.cache, "k", "v", Duration.ofMinutes(5), null);
			setAttribute("k", "expiresAtMillis", AttributeValue.fromN(bad));

			assertThat(store.getEntry(this.cache, "k")).as(bad).isNull();
			assertThat(rawItem("k")).as(bad).isNull();
		}
	}

	@Test
	void anExpiryStoredAsAStringDoesNotMakeTheEntryImmortal() {
		store.put(this.cache, "k", "v", Duration.ofMinutes(5), null);
		setAttribute("k", "expiresAtMillis", AttributeValue.fromS("2000-01-01"));

		assertThat(store.getEntry(this.cache, "k")).isNull();
		assertThat(store.containsKey(this.cache, "k")).isFalse();
	}

	@Test
	void oneBadItemBreaksNoWholeCacheOperation() {
		for (int i = 0; i < 6; i++) {
			store.put(this.cache, "good-" + i, i);
		}
		store.put(this.cache, "bad", "v");
		setAttribute("bad", "createdAtMillis", AttributeValue.fromS("yesterday"));
		store.put(this.cache, "worse", "v");
		setAttribute("worse", "key", AttributeValue.fromN("1"));

		assertThat(store.getAll(this.cache, List.of("good-0", "bad", "good-1"))).containsOnlyKeys("good-0", "good-1");
		assertThat(store.keys(this.cache)).contains("good-0", "good-5").doesNotContain("worse");
		assertThat(store.count(this.cache)).isGreaterThanOrEqualTo(6);
		assertThat(store.clear(this.cache, (key) -> key.startsWith("good-"))).isEqualTo(6);
		store.clear(this.cache);
		assertThat(store.count(this.cache)).isZero();
	}

	@Test
	void aBadItemInTheWayOfPutIfAbsentOrIncrementIsReplaced() {
		store.put(this.cache, "lock", "v");
		setAttribute("lock", "fmt", AttributeValue.fromS("plain"));
		store.put(this.cache, "counter", "v");
		setAttribute("counter", "fmt", AttributeValue.fromS("counter"));

		assertThat(store.putIfAbsent(this.cache, "lock", "mine", null, null)).isNull();
		assertThat(store.get(this.cache, "lock")).isEqualTo("mine");
		assertThat(store.increment(this.cache, "counter", 5, null)).isEqualTo(5);
	}

	private void setAttribute(String key, String name, AttributeValue value) {
		client.updateItem((request) -> request.tableName(table)
			.key(primaryKey(key))
			.updateExpression("SET #a = :v")
			.expressionAttributeNames(Map.of("#a", name))
			.expressionAttributeValues(Map.of(":v", value)));
	}

	private Map<String, AttributeValue> rawItem(String key) {
		Map<String, AttributeValue> item = client
			.getItem((request) -> request.tableName(table).key(primaryKey(key)).consistentRead(true))
			.item();
		return (item == null || item.isEmpty()) ? null : item;
	}

	private Map<String, AttributeValue> primaryKey(String key) {
		return new HashMap<>(new ItemLayout(2).primaryKey(this.cache, key));
	}

}
