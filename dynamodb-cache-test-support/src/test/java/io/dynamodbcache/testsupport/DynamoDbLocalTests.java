package io.dynamodbcache.testsupport;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@DynamoDbLocalTest
class DynamoDbLocalTests {

	@Test
	void sharedServerServesSyncAndAsyncClientsOnTheSameTables(DynamoDbClient client, DynamoDbAsyncClient asyncClient,
			UniqueTableName table) {
		client.createTable((request) -> request.tableName(table.value())
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.keySchema((key) -> key.attributeName("id").keyType(KeyType.HASH))
			.attributeDefinitions((attribute) -> attribute.attributeName("id").attributeType(ScalarAttributeType.S)));
		client.putItem((request) -> request.tableName(table.value())
			.item(java.util.Map.of("id", AttributeValue.fromS("k"), "v", AttributeValue.fromS("hello"))));

		AttributeValue read = asyncClient
			.getItem((request) -> request.tableName(table.value()).key(java.util.Map.of("id", AttributeValue.fromS("k"))))
			.join()
			.item()
			.get("v");

		assertThat(read.s()).isEqualTo("hello");
	}

	@Test
	void sharedServerIsOnePerJvm(DynamoDbLocal local) {
		assertThat(local).isSameAs(DynamoDbLocal.shared());
		assertThat(local.isRunning()).isTrue();
		assertThat(local.endpoint().getHost()).isEqualTo("127.0.0.1");
	}

	@Test
	void tableNameIsStableWithinATestClass(UniqueTableName first, UniqueTableName second) {
		assertThat(first).isEqualTo(second);
		assertThat(first.value()).startsWith("DynamoDbLocalTests-");
	}

	@Test
	void privateServerCanBeStoppedWithoutAffectingTheSharedOne(DynamoDbClient sharedClient) {
		DynamoDbLocal local = DynamoDbLocal.start();
		assertThat(local.port()).isNotEqualTo(DynamoDbLocal.shared().port());
		DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(local.endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.build();
		try (client) {
			assertThat(client.listTables().tableNames()).isEmpty();

			local.stop();

			assertThat(local.isRunning()).isFalse();
			assertThatExceptionOfType(SdkClientException.class).isThrownBy(client::listTables);
			assertThat(sharedClient.listTables().tableNames()).isNotNull();
		}
	}

}
