package io.dynamodbcache.core;

import java.net.URI;
import java.time.Duration;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@DynamoDbLocalTest
class TableSetupTests {

	@Test
	void existingTableWithAnotherKeySchemaIsAClearError(DynamoDbClient client, UniqueTableName table) {
		String name = table.value() + "-wrong";
		client.createTable((request) -> request.tableName(name)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.keySchema((key) -> key.attributeName("id").keyType(KeyType.HASH))
			.attributeDefinitions((attribute) -> attribute.attributeName("id").attributeType(ScalarAttributeType.S)));
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName(name).build();

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(store::ensureTable)
			.withMessageContaining("'" + name + "' has key schema [id (HASH)]")
			.withMessageContaining("partition key 'pk' (S) and sort key 'sk' (S)");
		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> store.put("c", "k", "v"));
	}

	@Test
	void missingTableWithCreationDisabledIsAClearError(DynamoDbClient client, UniqueTableName table) {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
			.tableName(table.value() + "-missing")
			.createTable(false)
			.build();

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> store.get("c", "k"))
			.withMessageContaining("does not exist and table creation is disabled")
			.withMessageContaining("TTL on 'expiresAt'");
		assertThat(client.listTables().tableNames()).doesNotContain(table.value() + "-missing");
	}

	@Test
	void existingCompatibleTableIsUsedAsItIs(DynamoDbClient client, UniqueTableName table) {
		String name = table.value() + "-shared";
		DynamoDbCacheStore.builder(client).tableName(name).build().put("c", "k", "v");

		DynamoDbCacheStore second = DynamoDbCacheStore.builder(client).tableName(name).createTable(false).build();

		assertThat(second.get("c", "k")).isEqualTo("v");
	}

	@Test
	void unreachableDynamoDbSurfacesAsTheStoresOwnException() {
		DynamoDbLocal local = DynamoDbLocal.start();
		URI endpoint = local.endpoint();
		local.stop();
		try (DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(endpoint)
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.overrideConfiguration((config) -> config.retryStrategy(RetryMode.STANDARD)
				.apiCallTimeout(Duration.ofSeconds(5)))
			.build()) {
			DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName("unreachable").build();

			assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> store.get("c", "k"))
				.withMessageContaining("'unreachable'")
				.withCauseInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
		}
	}

}
