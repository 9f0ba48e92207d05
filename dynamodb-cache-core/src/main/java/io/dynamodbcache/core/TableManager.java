package io.dynamodbcache.core;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import static io.dynamodbcache.core.RequestPath.Target.TABLE;

/**
 * Table readiness: checks once that the cache table exists with the expected key schema, creating it
 * (on-demand capacity, TTL on {@value ItemLayout#EXPIRES_AT}) when allowed, and remembers that it did. One
 * instance serves every view of a store, so the check runs once per table.
 */
final class TableManager {

	private static final Logger logger = LoggerFactory.getLogger(TableManager.class);

	private final DynamoDbClient client;

	private final RequestPath path;

	private final String tableName;

	private final boolean createTable;

	private volatile boolean ready;

	TableManager(DynamoDbClient client, RequestPath path, boolean createTable) {
		this.client = client;
		this.path = path;
		this.tableName = path.tableName();
		this.createTable = createTable;
	}

	boolean isReady() {
		return this.ready;
	}

	/**
	 * Check the table once; later calls return at once.
	 * @throws DynamoDbCacheException if the table is missing and may not be created, has the wrong key schema,
	 * or DynamoDB cannot be reached (then the next call checks again)
	 */
	void ensureReady() {
		if (!this.ready) {
			synchronized (this) {
				if (!this.ready) {
					check();
					this.ready = true;
				}
			}
		}
	}

	/** The table's status as DynamoDB reports it now, or {@code "MISSING"}. */
	String status() {
		TableDescription table = describe();
		return (table != null) ? String.valueOf(table.tableStatus()) : "MISSING";
	}

	/**
	 * The ARN of the table's stream, enabling a keys-only stream first if the table has none and table
	 * creation is enabled; {@code null} if it has none and may not be given one.
	 */
	@Nullable String streamArn() {
		ensureReady();
		TableDescription table = describe();
		if (table == null) {
			throw new DynamoDbCacheException("DynamoDB table '" + this.tableName + "' no longer exists");
		}
		String arn = enabledStreamArn(table);
		if (arn != null || !this.createTable) {
			return arn;
		}
		logger.info("Enabling a keys-only stream on DynamoDB table '{}' for the near caches' invalidation",
				this.tableName);
		try {
			return this.path.call("UpdateTable", "enable a stream on", TABLE, () -> this.client
				.updateTable((request) -> request.tableName(this.tableName)
					.overrideConfiguration(this.path.tableChangeOverrides())
					.streamSpecification((spec) -> spec.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)))
				.tableDescription()
				.latestStreamArn());
		}
		catch (DynamoDbCacheException ex) {
			// Nodes that start together all find no stream; DynamoDB refuses every enabling but the first.
			String enabledMeanwhile = enabledStreamArn(describe());
			if (enabledMeanwhile == null) {
				throw ex;
			}
			return enabledMeanwhile;
		}
	}

	private static @Nullable String enabledStreamArn(@Nullable TableDescription table) {
		StreamSpecification stream = (table != null) ? table.streamSpecification() : null;
		return (stream != null && Boolean.TRUE.equals(stream.streamEnabled())) ? table.latestStreamArn() : null;
	}

	private void check() {
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

	private @Nullable TableDescription describe() {
		return this.path.call("DescribeTable", "check", TABLE, () -> {
			try {
				return this.client
					.describeTable((request) -> request.tableName(this.tableName)
						.overrideConfiguration(this.path.overrides()))
					.table();
			}
			catch (ResourceNotFoundException ex) {
				return null;
			}
		});
	}

	private void create() {
		logger.info("Creating DynamoDB table '{}' for dynamodb-cache (on-demand capacity, TTL on '{}')",
				this.tableName, ItemLayout.EXPIRES_AT);
		boolean created = this.path.call("CreateTable", "create", TABLE, () -> {
			try {
				this.client.createTable((request) -> request.tableName(this.tableName)
					.overrideConfiguration(this.path.tableChangeOverrides())
					.billingMode(BillingMode.PAY_PER_REQUEST)
					.keySchema(keyElement(ItemLayout.PARTITION_KEY, KeyType.HASH),
							keyElement(ItemLayout.SORT_KEY, KeyType.RANGE))
					.attributeDefinitions(stringAttribute(ItemLayout.PARTITION_KEY),
							stringAttribute(ItemLayout.SORT_KEY)));
				return true;
			}
			catch (ResourceInUseException ex) {
				return false;
			}
		});
		waitUntilActive();
		if (!created) {
			// Another node created it at the same time: check theirs.
			TableDescription table = describe();
			if (table != null) {
				checkKeySchema(table);
			}
			return;
		}
		try {
			this.path.call("UpdateTimeToLive", "enable TTL on", TABLE,
					() -> this.client.updateTimeToLive((request) -> request.tableName(this.tableName)
						.overrideConfiguration(this.path.tableChangeOverrides())
						.timeToLiveSpecification((ttl) -> ttl.enabled(true).attributeName(ItemLayout.EXPIRES_AT))));
		}
		catch (DynamoDbCacheException ex) {
			// A concurrent creator may have enabled it already; reads filter expired items in any case.
			logger.warn("Could not enable TTL on '{}' of DynamoDB table '{}': {}", ItemLayout.EXPIRES_AT,
					this.tableName, ex.getMessage());
		}
	}

	/** Wait for a new table, polling once a second for at most a minute; each poll has the request budget. */
	private void waitUntilActive() {
		this.path.call("DescribeTable", "wait for", TABLE, () -> this.client.waiter()
			.waitUntilTableExists((request) -> request.tableName(this.tableName)
				.overrideConfiguration(this.path.overrides()), (waiter) -> waiter.waitTimeout(Duration.ofMinutes(1))
					.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(1)))));
	}

	private static KeySchemaElement keyElement(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

	private static AttributeDefinition stringAttribute(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
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
		TimeToLiveDescription description;
		try {
			description = this.path.call("DescribeTimeToLive", "describe TTL of", TABLE,
					() -> this.client.describeTimeToLive((request) -> request.tableName(this.tableName)
						.overrideConfiguration(this.path.overrides()))
						.timeToLiveDescription());
		}
		catch (DynamoDbCacheException ex) {
			logger.debug("Could not describe TTL of DynamoDB table '{}'", this.tableName, ex);
			return;
		}
		boolean enabled = description.timeToLiveStatus() == TimeToLiveStatus.ENABLED
				|| description.timeToLiveStatus() == TimeToLiveStatus.ENABLING;
		if (!enabled || !ItemLayout.EXPIRES_AT.equals(description.attributeName())) {
			logger.warn("DynamoDB table '{}' has no TTL on attribute '{}': expired entries stay invisible to the "
					+ "cache but are never deleted. Enable TTL on '{}' to let DynamoDB remove them.", this.tableName,
					ItemLayout.EXPIRES_AT, ItemLayout.EXPIRES_AT);
		}
	}

}
