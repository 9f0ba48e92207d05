package io.dynamodbcache.core;

import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Checks that the cache table exists with the expected key schema, creating it (on-demand capacity, TTL on
 * {@value ItemLayout#EXPIRES_AT}) when allowed.
 */
final class TableManager {

	private static final Logger logger = LoggerFactory.getLogger(TableManager.class);

	private final DynamoDbClient client;

	private final String tableName;

	private final boolean createTable;

	TableManager(DynamoDbClient client, String tableName, boolean createTable) {
		this.client = client;
		this.tableName = tableName;
		this.createTable = createTable;
	}

	boolean createTable() {
		return this.createTable;
	}

	void ensureTable() {
		try {
			TableDescription table = describe();
			if (table == null) {
				if (!this.createTable) {
					throw new DynamoDbCacheException("DynamoDB table '" + this.tableName + "' does not exist and "
							+ "table creation is disabled: create it with partition key '" + ItemLayout.PARTITION_KEY
							+ "' (S), sort key '" + ItemLayout.SORT_KEY + "' (S) and TTL on '" + ItemLayout.EXPIRES_AT
							+ "', or enable table creation");
				}
				create();
				return;
			}
			checkKeySchema(table);
			if (table.tableStatus() != TableStatus.ACTIVE) {
				waitUntilActive();
			}
			warnIfTimeToLiveDisabled();
		}
		catch (SdkException ex) {
			throw new DynamoDbCacheException("Could not check DynamoDB table '" + this.tableName + "': "
					+ ex.getMessage(), ex);
		}
	}

	private TableDescription describe() {
		try {
			return this.client.describeTable((request) -> request.tableName(this.tableName)).table();
		}
		catch (ResourceNotFoundException ex) {
			return null;
		}
	}

	private void create() {
		logger.info("Creating DynamoDB table '{}' for dynamodb-cache (on-demand capacity, TTL on '{}')",
				this.tableName, ItemLayout.EXPIRES_AT);
		try {
			this.client.createTable((request) -> request.tableName(this.tableName)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.keySchema(KeySchemaElement.builder().attributeName(ItemLayout.PARTITION_KEY).keyType(KeyType.HASH).build(),
						KeySchemaElement.builder().attributeName(ItemLayout.SORT_KEY).keyType(KeyType.RANGE).build())
				.attributeDefinitions(
						AttributeDefinition.builder()
							.attributeName(ItemLayout.PARTITION_KEY)
							.attributeType(ScalarAttributeType.S)
							.build(),
						AttributeDefinition.builder()
							.attributeName(ItemLayout.SORT_KEY)
							.attributeType(ScalarAttributeType.S)
							.build()));
		}
		catch (ResourceInUseException ex) {
			// Another node is creating it at the same time: wait for theirs, then check it.
			waitUntilActive();
			checkKeySchema(describe());
			return;
		}
		waitUntilActive();
		try {
			this.client.updateTimeToLive((request) -> request.tableName(this.tableName)
				.timeToLiveSpecification((ttl) -> ttl.enabled(true).attributeName(ItemLayout.EXPIRES_AT)));
		}
		catch (DynamoDbException ex) {
			// A concurrent creator may have enabled it already; reads filter expired items in any case.
			logger.warn("Could not enable TTL on '{}' of DynamoDB table '{}': {}", ItemLayout.EXPIRES_AT, this.tableName,
					ex.getMessage());
		}
	}

	private void waitUntilActive() {
		this.client.waiter().waitUntilTableExists((request) -> request.tableName(this.tableName));
	}

	private void checkKeySchema(TableDescription table) {
		List<KeySchemaElement> keys = table.keySchema();
		boolean matches = keys.size() == 2 && hasKey(table, ItemLayout.PARTITION_KEY, KeyType.HASH)
				&& hasKey(table, ItemLayout.SORT_KEY, KeyType.RANGE);
		if (!matches) {
			String actual = keys.stream()
				.map((key) -> key.attributeName() + " (" + key.keyType() + ")")
				.collect(Collectors.joining(", "));
			throw new DynamoDbCacheException("DynamoDB table '" + this.tableName + "' has key schema [" + actual
					+ "], but dynamodb-cache needs partition key '" + ItemLayout.PARTITION_KEY + "' (S) and sort key '"
					+ ItemLayout.SORT_KEY + "' (S): configure a table name of its own for the cache");
		}
	}

	private static boolean hasKey(TableDescription table, String name, KeyType type) {
		boolean inSchema = table.keySchema()
			.stream()
			.anyMatch((key) -> key.attributeName().equals(name) && key.keyType() == type);
		boolean isString = table.attributeDefinitions()
			.stream()
			.anyMatch((definition) -> definition.attributeName().equals(name)
					&& definition.attributeType() == ScalarAttributeType.S);
		return inSchema && isString;
	}

	private void warnIfTimeToLiveDisabled() {
		try {
			var description = this.client.describeTimeToLive((request) -> request.tableName(this.tableName))
				.timeToLiveDescription();
			boolean enabled = description.timeToLiveStatus() == TimeToLiveStatus.ENABLED
					|| description.timeToLiveStatus() == TimeToLiveStatus.ENABLING;
			if (!enabled || !ItemLayout.EXPIRES_AT.equals(description.attributeName())) {
				logger.warn("DynamoDB table '{}' has no TTL on attribute '{}': expired entries stay invisible to the "
						+ "cache but are never deleted. Enable TTL on '{}' to let DynamoDB remove them.", this.tableName,
						ItemLayout.EXPIRES_AT, ItemLayout.EXPIRES_AT);
			}
		}
		catch (DynamoDbException ex) {
			logger.debug("Could not describe TTL of DynamoDB table '{}'", this.tableName, ex);
		}
	}

}
