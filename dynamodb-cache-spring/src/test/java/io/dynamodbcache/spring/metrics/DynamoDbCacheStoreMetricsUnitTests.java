package io.dynamodbcache.spring.metrics;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbCacheStoreMetricsUnitTests {

	@Test
	void theBreakersStateTransitionsAndSkippedRequestsAreMeters() {
		DynamoDbClient client = DynamoDbClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(() -> AwsBasicCredentials.create("a", "b"))
			.build();
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName("metrics-table").build();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new DynamoDbCacheStoreMetrics(store).bindTo(registry);
		CircuitBreaker breaker = store.getCircuitBreaker();

		assertThat(state(registry, "closed")).isEqualTo(1);
		breaker.transitionToOpenState();
		breaker.tryAcquirePermission();
		breaker.tryAcquirePermission();

		assertThat(state(registry, "closed")).isZero();
		assertThat(state(registry, "open")).isEqualTo(1);
		assertThat(registry.get("dynamodb.cache.circuit.not.permitted").tag("table", "metrics-table").counter().count())
			.isEqualTo(2);
		assertThat(registry.get("dynamodb.cache.circuit.transitions")
			.tags("from", "closed", "to", "open")
			.counter()
			.count()).isEqualTo(1);
		client.close();
	}

	private static double state(SimpleMeterRegistry registry, String state) {
		return registry.get("dynamodb.cache.circuit.state").tags("table", "metrics-table", "state", state).gauge().value();
	}

}
