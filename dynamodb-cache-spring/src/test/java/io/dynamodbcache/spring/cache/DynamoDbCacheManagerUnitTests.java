package io.dynamodbcache.spring.cache;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JavaSerializationValueCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the manager assembles caches; nothing here talks to DynamoDB.
 */
class DynamoDbCacheManagerUnitTests {

	private final DynamoDbClient client = DynamoDbClient.builder()
		.region(Region.US_EAST_1)
		.endpointOverride(URI.create("http://127.0.0.1:1"))
		.build();

	private final DynamoDbCacheStore store = DynamoDbCacheStore.builder(this.client).build();

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	@Test
	void builderCombinesDefaultsNamesAndPerCacheConfigurations() {
		DynamoDbCacheConfiguration defaults = DynamoDbCacheConfiguration.defaultCacheConfig()
			.entryTtl(Duration.ofMinutes(10));
		DynamoDbCacheConfiguration shortLived = defaults.entryTtl(Duration.ofSeconds(5));
		DynamoDbCacheManager.Builder builder = DynamoDbCacheManager.builder(this.store)
			.cacheDefaults(defaults)
			.initialCacheNames(Set.of("books"))
			.withInitialCacheConfigurations(Map.of("quotes", shortLived));

		assertThat(builder.cacheDefaults()).isSameAs(defaults);
		assertThat(builder.getConfiguredCaches()).containsExactlyInAnyOrder("books", "quotes");
		DynamoDbCacheManager manager = builder.build();
		manager.afterPropertiesSet();

		assertThat(manager.getCacheConfigurations()).containsEntry("books", defaults).containsEntry("quotes", shortLived);
		assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("books", "quotes");
	}

	@Test
	void cachesWithTheirOwnCodecGetAStoreWithThatCodecOnTheSameTable() {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create("com.example");
		DynamoDbCacheManager manager = DynamoDbCacheManager.builder(this.store)
			.withCacheConfiguration("serialized", DynamoDbCacheConfiguration.defaultCacheConfig().withCodec(codec))
			.withCacheConfiguration("json", DynamoDbCacheConfiguration.defaultCacheConfig())
			.build();
		manager.afterPropertiesSet();

		DynamoDbCacheStore serializedStore = ((DynamoDbCache) manager.getCache("serialized")).getNativeCache();
		assertThat(serializedStore.getCodec()).isSameAs(codec);
		assertThat(serializedStore.getTableName()).isEqualTo(this.store.getTableName());
		assertThat(((DynamoDbCache) manager.getCache("json")).getNativeCache()).isSameAs(this.store);
	}

	@Test
	void runtimeCacheListenersSeeOnlyCachesCreatedOnDemand() {
		java.util.List<String> created = new java.util.ArrayList<>();
		DynamoDbCacheManager manager = DynamoDbCacheManager.builder(this.store)
			.initialCacheNames(Set.of("initial"))
			.onRuntimeCacheCreation((cache) -> created.add(cache.getName()))
			.build();
		manager.afterPropertiesSet();

		manager.getCache("initial");
		manager.getCache("later");
		manager.getCache("later");

		assertThat(created).containsExactly("later");
	}

	@Test
	void runtimeCacheListenersHearOfEachCacheOnceEvenWhenThreadsAskForItAtOnce() throws Exception {
		Map<String, java.util.concurrent.atomic.AtomicInteger> heard = new java.util.concurrent.ConcurrentHashMap<>();
		DynamoDbCacheManager manager = DynamoDbCacheManager.builder(this.store)
			.onRuntimeCacheCreation((cache) -> heard
				.computeIfAbsent(cache.getName(), (name) -> new java.util.concurrent.atomic.AtomicInteger())
				.incrementAndGet())
			.build();
		manager.afterPropertiesSet();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 200; round++) {
				String name = "runtime-" + round;
				java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
				java.util.List<java.util.concurrent.Future<org.springframework.cache.Cache>> calls = new java.util.ArrayList<>();
				for (int i = 0; i < 8; i++) {
					calls.add(pool.submit(() -> {
						start.await();
						return manager.getCache(name);
					}));
				}
				org.springframework.cache.Cache first = calls.get(0).get();
				for (java.util.concurrent.Future<org.springframework.cache.Cache> call : calls) {
					assertThat(call.get()).isSameAs(first);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(heard).hasSize(200);
		assertThat(heard.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
	}

}
