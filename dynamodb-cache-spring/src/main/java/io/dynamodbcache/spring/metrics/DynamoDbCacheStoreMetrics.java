package io.dynamodbcache.spring.metrics;

import java.util.List;
import java.util.Locale;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.util.Assert;

/**
 * Micrometer binder of a store's circuit breaker: {@code dynamodb.cache.circuit.state} (one gauge per state,
 * 1 for the state it is in), {@code dynamodb.cache.circuit.transitions} (by from and to state) and
 * {@code dynamodb.cache.circuit.not.permitted} (requests skipped while it was open), tagged with the table; and
 * {@code dynamodb.cache.evictions.unconfirmed}, the evictions and clears DynamoDB has not confirmed yet.
 */
public class DynamoDbCacheStoreMetrics implements MeterBinder {

	private static final List<CircuitBreaker.State> STATES = List.of(CircuitBreaker.State.CLOSED,
			CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);

	private final DynamoDbCacheStore store;

	/**
	 * Create a binder.
	 * @param store the store
	 */
	public DynamoDbCacheStoreMetrics(DynamoDbCacheStore store) {
		Assert.notNull(store, "DynamoDbCacheStore must not be null");
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		CircuitBreaker breaker = this.store.getCircuitBreaker();
		Tags tags = Tags.of(Tag.of("table", this.store.getTableName()));
		for (CircuitBreaker.State state : STATES) {
			Gauge.builder("dynamodb.cache.circuit.state", breaker, (cb) -> (cb.getState() == state) ? 1 : 0)
				.tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
				.description("Whether the cache's circuit breaker is in this state")
				.register(registry);
		}
		Gauge.builder("dynamodb.cache.evictions.unconfirmed", this.store, DynamoDbCacheStore::getUnconfirmedEvictions)
			.tags(tags)
			.description("Evictions and clears that DynamoDB has not confirmed: other nodes may still serve what they "
					+ "removed")
			.register(registry);
		Counter notPermitted = Counter.builder("dynamodb.cache.circuit.not.permitted")
			.tags(tags)
			.description("DynamoDB requests skipped because the circuit breaker was open")
			.register(registry);
		breaker.getEventPublisher().onCallNotPermitted((event) -> notPermitted.increment());
		breaker.getEventPublisher()
			.onStateTransition((event) -> Counter.builder("dynamodb.cache.circuit.transitions")
				.tags(tags.and("from", event.getStateTransition().getFromState().name().toLowerCase(Locale.ROOT),
						"to", event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT)))
				.description("Circuit breaker state transitions")
				.register(registry)
				.increment());
	}

}
