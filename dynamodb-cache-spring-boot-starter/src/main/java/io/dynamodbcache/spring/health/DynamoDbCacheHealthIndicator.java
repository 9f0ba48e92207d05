package io.dynamodbcache.spring.health;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the cache table: UP when DynamoDB answers and the table is ACTIVE (or being updated, which
 * serves traffic), DOWN otherwise. While the store's circuit breaker is open the indicator is DOWN at once,
 * without asking DynamoDB; otherwise it asks within the store's request budget, so that a health check
 * never stalls. The breaker's state is a detail either way.
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
		CircuitBreaker.State breaker = this.store.getCircuitBreaker().getState();
		builder.withDetail("table", this.store.getTableName()).withDetail("circuitBreaker", String.valueOf(breaker));
		if (breaker == CircuitBreaker.State.OPEN || breaker == CircuitBreaker.State.FORCED_OPEN) {
			builder.down();
			return;
		}
		String status = this.store.getTableStatus();
		boolean serving = status.equals("ACTIVE") || status.equals("UPDATING");
		(serving ? builder.up() : builder.down()).withDetail("status", status);
	}

}
