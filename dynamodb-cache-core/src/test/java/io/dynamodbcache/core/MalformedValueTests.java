package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored value bytes that another writer left malformed or hostile are, with either JSON codec, a miss and one
 * eviction for every read, never an exception. (That no class outside the allow-list is loaded, not even to be
 * refused, is checked by {@link JsonValueCodecContractTests} for both codecs.)
 */
@DynamoDbLocalTest
class MalformedValueTests {

	private static final List<String> MALFORMED = List.of("", "{", "not json", "[\"java.util.ArrayList\"",
			"[\"java.util.ArrayList\",[1,2]] trailing", "null", "[\"java.lang.Long\",\"seven\"]",
			"[\"java.util.ImmutableCollections$ListN\",[null]]",
			"{\"@class\":\"io.dynamodbcache.core.KeyedContainers$KeyedMap\",\"type\":\"java.util.HashMap\","
					+ "\"enumKeyType\":null,\"entries\":[\"java.util.ArrayList\",[[\"java.util.ArrayList\",[1]]]]}",
			"{\"@class\":\"io.dynamodbcache.core.KeyedContainers$KeyedEnumSet\",\"enumType\":\"io.dynamodbcache.core.Genre\","
					+ "\"names\":[\"java.util.ArrayList\",[\"NO_SUCH_GENRE\"]]}",
			"[\"java.time.Duration\",{}]", "[".repeat(5_000) + "]".repeat(5_000));

	/** Type ids outside the allow-list: deserialization gadgets, and a generic parameter that does not exist. */
	private static final List<String> HOSTILE = List.of("[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]",
			"[\"com.sun.rowset.JdbcRowSetImpl\",{}]", "[\"java.util.ArrayList<io.dynamodbcache.forbidden.Gadget>\",[]]",
			"{\"@class\":\"io.dynamodbcache.core.KeyedContainers$KeyedMap\",\"type\":\"javax.management.openmbean.TabularDataSupport\","
					+ "\"enumKeyType\":null,\"entries\":[\"java.util.ArrayList\",[]]}");

	private static DynamoDbClient client;

	private static String table;

	private static Map<String, DynamoDbCacheStore> stores;

	@BeforeAll
	static void createStores(DynamoDbClient dynamoDb, UniqueTableName tableName) {
		client = dynamoDb;
		table = tableName.value();
		stores = Map.of("Jackson 2",
				DynamoDbCacheStore.builder(client).tableName(table).shards(2)
					.codec(JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build()).build(),
				"Jackson 3", DynamoDbCacheStore.builder(client).tableName(table).shards(2)
					.codec(Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.core").build()).build());
		// The first requests to a freshly started DynamoDB Local can exceed the store's time budget.
		Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			stores.values().forEach((store) -> store.put("warm-up", "k", "v"));
			return true;
		});
	}

	static Stream<Arguments> storedValues() {
		return Stream.of("Jackson 2", "Jackson 3")
			.flatMap((codec) -> Stream.concat(MALFORMED.stream(), HOSTILE.stream())
				.map((json) -> Arguments.of(codec, json)));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("storedValues")
	void aValueThatCannotBeReadIsAMissAndIsEvicted(String codec, String json) {
		DynamoDbCacheStore store = stores.get(codec);
		String cache = "cache-" + UUID.randomUUID();
		store.put(cache, "k", "v", Duration.ofMinutes(5), null);
		setValue(cache, "k", json);

		assertThat(store.getEntry(cache, "k")).isNull();
		assertThat(rawItem(cache, "k")).isNull();
	}

	private void setValue(String cache, String key, String json) {
		client.updateItem((request) -> request.tableName(table)
			.key(primaryKey(cache, key))
			.updateExpression("SET #v = :v, #f = :f")
			.expressionAttributeNames(Map.of("#v", ItemLayout.VALUE, "#f", ItemLayout.FORMAT))
			.expressionAttributeValues(Map.of(":v", AttributeValue.fromB(SdkBytes.fromString(json, StandardCharsets.UTF_8)),
					":f", AttributeValue.fromN(Integer.toString(ItemLayout.FORMAT_PLAIN)))));
	}

	private Map<String, AttributeValue> rawItem(String cache, String key) {
		Map<String, AttributeValue> item = client
			.getItem((request) -> request.tableName(table).key(primaryKey(cache, key)).consistentRead(true))
			.item();
		return (item == null || item.isEmpty()) ? null : item;
	}

	private Map<String, AttributeValue> primaryKey(String cache, String key) {
		return new HashMap<>(new ItemLayout(2).primaryKey(cache, key));
	}

}
