package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.UnconfirmedEvictionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every operation of a cache whose DynamoDB is unreachable: a miss, a dropped write or a load in the
 * default mode, the store's exception in strict mode; an eviction or clear throws in both.
 */
class DynamoDbCacheOutageUnitTests {

	private final UnreachableDynamoDb dynamoDb = new UnreachableDynamoDb();

	private final DynamoDbCacheStore store = DynamoDbCacheStore.builder(this.dynamoDb.client()).build();

	@Test
	void everyOperationDegradesToAMissADroppedWriteOrALoad() throws Exception {
		DynamoDbCache cache = cache(DynamoDbCacheManager.builder(this.store), DynamoDbCacheConfiguration
			.defaultCacheConfig()
			.enableDistributedLoadLease(Duration.ofSeconds(5)));

		assertThat(cache.get("k")).isNull();
		cache.put("k", "v");
		assertThat((Object) cache.get("k", () -> "loaded")).isEqualTo("loaded");
		assertThat(cache.putIfAbsent("k", "v")).isNull();
		assertThat(cache.estimatedSize()).isEqualTo(-1);
		assertThat(cache.retrieve("k").get(5, TimeUnit.SECONDS)).isNull();
		assertThat(cache.retrieve("k", () -> java.util.concurrent.CompletableFuture.completedFuture("async"))
			.get(5, TimeUnit.SECONDS)).isEqualTo("async");

		assertThat(cache.getStatistics().getFailures()).isGreaterThanOrEqualTo(8);
		// Five failed requests open the circuit breaker; the rest never reach DynamoDB.
		assertThat(this.dynamoDb.requests()).isEqualTo(5);
	}

	@Test
	void evictionsAndClearsThatDynamoDbDidNotConfirmThrowEvenWhenNotStrict() {
		DynamoDbCache cache = cache(DynamoDbCacheManager.builder(this.store),
				DynamoDbCacheConfiguration.defaultCacheConfig());

		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(() -> cache.evictIfPresent("k"))
			.withMessageContaining("retried");
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(() -> cache.evict("k"));
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(cache::invalidate);
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(cache::clear);
		assertThat(cache.getStatistics().getFailures()).isEqualTo(4);
	}

	@Test
	void strictCachesThrowTheStoresException() {
		DynamoDbCache cache = cache(DynamoDbCacheManager.builder(this.store).strict(),
				DynamoDbCacheConfiguration.defaultCacheConfig());

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> cache.get("k"))
			.withMessageContaining("Connection refused");
		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> cache.put("k", "v"));
		assertThat(cache.retrieve("k")).failsWithin(5, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(DynamoDbCacheException.class);
		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> cache.evictIfPresent("k"));
		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(cache::clear);
	}

	private DynamoDbCache cache(DynamoDbCacheManager.Builder builder, DynamoDbCacheConfiguration configuration) {
		DynamoDbCacheManager manager = builder.withCacheConfiguration("c", configuration).build();
		manager.afterPropertiesSet();
		return (DynamoDbCache) manager.getCache("c");
	}

}
