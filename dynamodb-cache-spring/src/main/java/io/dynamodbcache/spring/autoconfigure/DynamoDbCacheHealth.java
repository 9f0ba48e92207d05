package io.dynamodbcache.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Health of the cache table, as the health indicators of both Spring Boot generations report it: up when
 * DynamoDB answers and the table is ACTIVE (or being updated, which serves traffic), down otherwise. While the
 * store's circuit breaker is open or half-open (its probe is trying DynamoDB, callers are refused) it is down
 * at once, without asking DynamoDB; otherwise it asks within the store's request budget, so that a health
 * check never stalls. {@code readingStream} says whether this node is told of other nodes' writes (it reads
 * the table's invalidation feed and a live stream reader writes it), and {@code streamReader} whether this
 * node is the one of the fleet that reads the stream; neither changes the status, since the staleness bound
 * still holds. {@code unconfirmedEvictions}, present while there are any, counts the evictions and clears
 * DynamoDB has not confirmed: until it does, other nodes may serve what they removed.
 *
 * @param up whether the cache can serve
 * @param details the table, the circuit breaker's state, whether other nodes' writes reach this one, whether
 * this node reads the stream for the fleet and, when asked, the table status
 * @since 0.2.0
 */
public record DynamoDbCacheHealth(boolean up, Map<String, Object> details) {

	/**
	 * Check a store.
	 * @param store the store
	 * @return its health
	 */
	public static DynamoDbCacheHealth of(DynamoDbCacheStore store) {
		Map<String, Object> details = new LinkedHashMap<>();
		CircuitBreaker.State breaker = store.getCircuitBreaker().getState();
		details.put("table", store.getTableName());
		details.put("circuitBreaker", String.valueOf(breaker));
		details.put("readingStream", store.isReadingStream());
		details.put("streamReader", store.isStreamReader());
		int unconfirmed = store.getUnconfirmedEvictions();
		if (unconfirmed > 0) {
			details.put("unconfirmedEvictions", unconfirmed);
		}
		if (breaker == CircuitBreaker.State.OPEN || breaker == CircuitBreaker.State.HALF_OPEN
				|| breaker == CircuitBreaker.State.FORCED_OPEN) {
			return new DynamoDbCacheHealth(false, details);
		}
		String status;
		try {
			status = store.getTableStatus();
		}
		catch (DynamoDbCacheException ex) {
			// Says what failed (the table, the endpoint, the SDK's reason); never a key or a value.
			details.put("error", ex.getMessage());
			return new DynamoDbCacheHealth(false, details);
		}
		details.put("status", status);
		return new DynamoDbCacheHealth(status.equals("ACTIVE") || status.equals("UPDATING"), details);
	}

}
