package io.dynamodbcache.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CloudFormation template of the table (infrastructure/cloudformation), for applications that run with
 * table creation off: it parses with a plain YAML parser (long-form intrinsic functions only), and the table
 * it describes, created on DynamoDB Local exactly as written, is one that the store accepts with
 * {@code createTable(false)}, whose TTL attribute is the one the store writes, and whose stream the near
 * cache reads.
 */
@DynamoDbLocalTest
class CloudFormationTemplateTests {

	private static final Path TEMPLATE = Path.of("..", "infrastructure", "cloudformation", "dynamodb-cache-table.yaml");

	@Test
	@SuppressWarnings("unchecked")
	void theTemplatesTableIsOneTheStoreAcceptsAndUsesAsItIs(DynamoDbClient client, UniqueTableName table)
			throws IOException {
		Map<String, Object> template = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(TEMPLATE));
		List<Map<String, Object>> tables = ((Map<String, Map<String, Object>>) template.get("Resources")).values()
			.stream()
			.filter((resource) -> "AWS::DynamoDB::Table".equals(resource.get("Type")))
			.toList();
		assertThat(tables).hasSize(1);
		Map<String, Object> properties = (Map<String, Object>) tables.get(0).get("Properties");
		assertThat(properties.get("TableName")).isEqualTo(Map.of("Ref", "TableName"));
		Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
		assertThat(ttl.get("Enabled")).isEqualTo(true);

		createAsWritten(client, table.value(), properties);

		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
			.tableName(table.value())
			.createTable(false)
			.streamsClient(streams)
			.build();
		try {
			store.ensureTable();
			store.put("c", "k", "v", Duration.ofMinutes(5), null);
			assertThat(store.get("c", "k")).isEqualTo("v");
			Map<String, AttributeValue> item = client.getItem((request) -> request.tableName(table.value())
				.key(Map.of("pk", AttributeValue.fromS("c#" + Math.floorMod("k".hashCode(), store.getShards())), "sk",
						AttributeValue.fromS("k"))))
				.item();
			assertThat(item).as("the template's TTL attribute is the one the store writes")
				.containsKey((String) ttl.get("AttributeName"));
			DynamoDbCacheStore near = store.withNearCache(new NearCacheSettings(100, Duration.ofMinutes(1)));
			await().atMost(Duration.ofSeconds(10)).until(near::isReadingStream);
		}
		finally {
			store.close();
			streams.close();
		}
	}

	/**
	 * What a security review asks of a table, as parameters with a cache's defaults: deletion protection on,
	 * a customer-managed KMS key only when one is given (else DynamoDB's own key), point-in-time recovery off
	 * (a cache is loaded again from its origin), and tags.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void protectionEncryptionRecoveryAndTagsAreParametersWithACachesDefaults() throws IOException {
		Map<String, Object> template = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(TEMPLATE));
		Map<String, Map<String, Object>> parameters = (Map<String, Map<String, Object>>) template.get("Parameters");
		assertThat(parameters.get("DeletionProtection")).containsEntry("Default", "true");
		assertThat(parameters.get("PointInTimeRecovery")).containsEntry("Default", "false");
		assertThat(parameters.get("KmsKeyArn")).containsEntry("Default", "");
		assertThat(parameters.get("CostCentre")).containsEntry("Default", "");
		Map<String, Object> properties = (Map<String, Object>) ((Map<String, Map<String, Object>>) template
			.get("Resources")).get("CacheTable").get("Properties");
		assertThat(properties.get("DeletionProtectionEnabled")).isEqualTo(Map.of("Ref", "DeletionProtection"));
		assertThat(properties.get("PointInTimeRecoverySpecification"))
			.isEqualTo(Map.of("PointInTimeRecoveryEnabled", Map.of("Ref", "PointInTimeRecovery")));
		List<Object> sse = (List<Object>) ((Map<String, Object>) properties.get("SSESpecification")).get("Fn::If");
		assertThat(sse).containsExactly("HasKmsKey",
				Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", Map.of("Ref", "KmsKeyArn")),
				Map.of("Ref", "AWS::NoValue"));
		assertThat(((Map<String, Object>) template.get("Conditions")).get("HasKmsKey"))
			.isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "KmsKeyArn"), "")))));
		List<Object> tags = (List<Object>) properties.get("Tags");
		assertThat(tags).contains(Map.of("Key", "Application", "Value", "dynamodb-cache"));
		assertThat(tags).contains(Map.of("Fn::If", List.of("HasCostCentre",
				Map.of("Key", "CostCentre", "Value", Map.of("Ref", "CostCentre")), Map.of("Ref", "AWS::NoValue"))));
	}

	@SuppressWarnings("unchecked")
	private static void createAsWritten(DynamoDbClient client, String tableName, Map<String, Object> properties) {
		List<Map<String, String>> attributes = (List<Map<String, String>>) properties.get("AttributeDefinitions");
		List<Map<String, String>> keys = (List<Map<String, String>>) properties.get("KeySchema");
		Map<String, Object> stream = (Map<String, Object>) properties.get("StreamSpecification");
		Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
		client.createTable((request) -> request.tableName(tableName)
			.billingMode((String) properties.get("BillingMode"))
			.attributeDefinitions(attributes.stream()
				.map((attribute) -> AttributeDefinition.builder()
					.attributeName(attribute.get("AttributeName"))
					.attributeType(attribute.get("AttributeType"))
					.build())
				.toList())
			.keySchema(keys.stream()
				.map((key) -> KeySchemaElement.builder()
					.attributeName(key.get("AttributeName"))
					.keyType(key.get("KeyType"))
					.build())
				.toList())
			.streamSpecification((spec) -> spec.streamEnabled(true)
				.streamViewType((String) stream.get("StreamViewType"))));
		client.waiter().waitUntilTableExists((request) -> request.tableName(tableName));
		client.updateTimeToLive((request) -> request.tableName(tableName)
			.timeToLiveSpecification((spec) -> spec.attributeName((String) ttl.get("AttributeName"))
				.enabled((Boolean) ttl.get("Enabled"))));
		assertThat(client.describeTimeToLive((request) -> request.tableName(tableName))
			.timeToLiveDescription()
			.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
	}

}
