package io.dynamodbcache.spring.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Health of the cache table: UP when DynamoDB answers and the table is ACTIVE (or being updated, which
 * serves traffic), DOWN otherwise.
 */
public class DynamoDbCacheHealthIndicator extends AbstractHealthIndicator {

	private final DynamoDbClient client;

	private final String tableName;

	/**
	 * Create an indicator.
	 * @param client the client the cache uses
	 * @param tableName the cache table
	 */
	public DynamoDbCacheHealthIndicator(DynamoDbClient client, String tableName) {
		super("DynamoDB cache health check failed");
		Assert.notNull(client, "DynamoDbClient must not be null");
		Assert.hasText(tableName, "Table name must not be empty");
		this.client = client;
		this.tableName = tableName;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		TableDescription table = this.client.describeTable((request) -> request.tableName(this.tableName)).table();
		TableStatus status = table.tableStatus();
		boolean serving = status == TableStatus.ACTIVE || status == TableStatus.UPDATING;
		(serving ? builder.up() : builder.down()).withDetail("table", this.tableName)
			.withDetail("status", String.valueOf(status));
	}

}
