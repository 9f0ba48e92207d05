package io.dynamodbcache.spring.boot;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheHealth;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.util.Assert;

/**
 * Health of the cache table on Spring Boot 3.5 ({@link DynamoDbCacheHealth}: never stalls, down at once while
 * the circuit breaker is open).
 */
public class DynamoDbCacheHealthIndicator extends AbstractHealthIndicator {

	private final DynamoDbCacheStore store;

	/**
	 * Create an indicator.
	 * @param store the cache store
	 */
	public DynamoDbCacheHealthIndicator(DynamoDbCacheStore store) {
		super("DynamoDB cache health check failed");
		Assert.notNull(store, "DynamoDbCacheStore must not be null");
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		DynamoDbCacheHealth health = DynamoDbCacheHealth.of(this.store);
		(health.up() ? builder.up() : builder.down()).withDetails(health.details());
	}

}
