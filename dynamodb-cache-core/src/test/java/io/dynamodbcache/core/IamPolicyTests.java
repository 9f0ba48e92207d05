package io.dynamodbcache.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented IAM policy (infrastructure/iam/dynamodb-cache-policy.json) is exactly what the store needs:
 * {@link IamPolicyCheck} fails every request of a store in this module's tests that the policy does not
 * allow, and this test makes the store use every feature and checks that it needed every action of the
 * policy, with the table-creation statement needed only with table creation on.
 */
@DynamoDbLocalTest
class IamPolicyTests {

	@Test
	void thePolicyNamesSingleActionsOnTheTableAndItsStreamOnly() throws Exception {
		Map<String, Set<String>> statements = IamPolicyCheck.actionsByStatement();

		assertThat(statements).containsOnlyKeys("CacheEntries", "NearCacheStream", "CreateTable");
		assertThat(statements.values()).allSatisfy((actions) -> assertThat(actions)
			.allSatisfy((action) -> assertThat(action).startsWith("dynamodb:").doesNotContain("*")));
		String policy = java.nio.file.Files.readString(IamPolicyCheck.POLICY);
		assertThat(policy).doesNotContain("\"Resource\": \"*\"").contains("table/TABLE_NAME/stream/*");
	}

	@Test
	void everyActionOfThePolicyIsOneTheStoreNeeds(DynamoDbClient client) throws Exception {
		IamPolicyCheck.SEEN.clear();

		// With table creation off, on a table made as the template describes it but without a stream yet.
		String existing = "iam-existing-" + UUID.randomUUID();
		createWithoutStream(client, existing);
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName(existing).createTable(false).build();
		useEveryFeature(store);
		Set<String> withoutCreation = new TreeSet<>(IamPolicyCheck.SEEN);
		assertThat(withoutCreation).as("needed with table creation off, without a near cache")
			.containsExactlyInAnyOrderElementsOf(IamPolicyCheck.actionsByStatement().get("CacheEntries"));

		// With table creation on: a new table, and a stream enabled on the existing one for the near cache.
		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		DynamoDbCacheStore creating = DynamoDbCacheStore.builder(client)
			.tableName("iam-created-" + UUID.randomUUID())
			.createTable(true)
			.build();
		creating.ensureTable();
		DynamoDbCacheStore nearStore = DynamoDbCacheStore.builder(client)
			.tableName(existing)
			.createTable(true)
			.streamsClient(streams)
			.build();
		try {
			DynamoDbCacheStore near = nearStore.withNearCache(new NearCacheSettings(100, Duration.ofMinutes(1)));
			await().atMost(Duration.ofSeconds(20)).until(near::isReadingStream);
			assertThat(near.get("c", "k")).isEqualTo("v");
		}
		finally {
			nearStore.close();
			streams.close();
		}

		Set<String> all = new TreeSet<>();
		IamPolicyCheck.actionsByStatement().values().forEach(all::addAll);
		assertThat(new TreeSet<>(IamPolicyCheck.SEEN)).as("every action of the policy was needed").isEqualTo(all);
	}

	private static void useEveryFeature(DynamoDbCacheStore store) {
		store.ensureTable();
		store.put("c", "k", "v");
		store.get("c", "k");
		store.putIfAbsent("c", "absent", "a", null, null);
		store.increment("c", "counter", 1, null);
		store.deleteIfPresent("c", "absent");
		store.putAll("c", Map.of("x", 1, "y", 2), null, null);
		store.getAll("c", List.of("x", "y"));
		store.keys("c");
		store.clear("c", (key) -> key.equals("x"));
		store.put("c", "k", "v");
	}

	private static void createWithoutStream(DynamoDbClient client, String tableName) {
		client.createTable((request) -> request.tableName(tableName)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("pk"), attribute("sk"))
			.keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
					KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
		client.waiter().waitUntilTableExists((request) -> request.tableName(tableName));
		client.updateTimeToLive((request) -> request.tableName(tableName)
			.timeToLiveSpecification((spec) -> spec.attributeName("expiresAt").enabled(true)));
	}

	private static AttributeDefinition attribute(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

}
