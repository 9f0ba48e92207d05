package io.dynamodbcache.spring.autoconfigure;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.spring.metrics.DynamoDbNearCacheMetrics;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dynamodb.cache.near-cache.*}: near caches per cache, the stream reader's client, metrics, two
 * applications on one table, and the error without Caffeine. Runs on Boot 4.x here and on Boot 3.5 in
 * dynamodb-cache-spring-boot3-starter.
 */
@DynamoDbLocalTest
class NearCacheAutoConfigurationTests {

	private ApplicationContextRunner runner;

	@BeforeEach
	void setUp(DynamoDbLocal local, UniqueTableName table) {
		this.runner = new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(), "dynamodb.cache.table-name=" + table.value(),
					"dynamodb.cache.credentials.access-key-id=dynamodbcache",
					"dynamodb.cache.credentials.secret-access-key=local", "dynamodb.cache.near-cache.enabled=true",
					"dynamodb.cache.near-cache.stream-poll-interval=100ms");
	}

	/** Wait until the condition holds, 10 s at most. */
	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(condition::getAsBoolean);
	}

	private static double count(SimpleMeterRegistry registry, String name, String cache, String tag, String value) {
		var counter = registry.find(name).tags("cache", cache, tag, value).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void eachCacheReadsThroughANearCacheAndItsMetersCountHitsAndMisses() {
		this.runner
			.withPropertyValues("dynamodb.cache.near-cache.maximum-size=500", "dynamodb.cache.near-cache.time-to-live=1m",
					"dynamodb.cache.caches.prices.near-cache=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(DynamoDbStreamsClient.class)
					.hasSingleBean(DynamoDbNearCacheMetrics.class);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(DynamoDbNearCacheMetrics.class).bindTo(registry);
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				var books = manager.getCacheConfigurations().get("books");
				assertThat(books).isNull();
				assertThat(manager.getDefaultCacheConfiguration().getNearCache().maximumSize()).isEqualTo(500);
				assertThat(manager.getDefaultCacheConfiguration().getNearCache().timeToLive())
					.isEqualTo(Duration.ofMinutes(1));
				assertThat(manager.getCacheConfigurations().get("prices").getNearCache()).isNull();

				Cache cache = manager.getCache("books");
				Cache prices = manager.getCache("prices");
				// The relay starts with the first near cache; the only node, it reads the stream for the fleet.
				await(context.getBean(DynamoDbCacheStore.class)::isReadingStream);
				assertThat(DynamoDbCacheHealth.of(context.getBean(DynamoDbCacheStore.class)).details())
					.containsEntry("readingStream", true)
					.containsEntry("streamReader", true);
				cache.put("isbn", "Dune");
				// This write comes back through the feed too, and would drop a copy read before it arrives.
				await(() -> registry.find("dynamodb.cache.near.invalidation.lag").timer().count() > 0);
				assertThat(cache.get("isbn", String.class)).isEqualTo("Dune");
				assertThat(cache.get("isbn", String.class)).isEqualTo("Dune");
				prices.put("isbn", 9);
				prices.get("isbn");
				prices.get("isbn");

				assertThat(count(registry, "dynamodb.cache.near.gets", "books", "result", "hit")).isEqualTo(1);
				assertThat(count(registry, "dynamodb.cache.near.gets", "books", "result", "miss")).isEqualTo(1);
				assertThat(count(registry, "dynamodb.cache.near.gets", "prices", "result", "hit")).isZero();
				assertThat(count(registry, "dynamodb.cache.near.gets", "prices", "result", "miss")).isZero();
				cache.evict("isbn");
				assertThat(cache.get("isbn")).isNull();
				assertThat(count(registry, "dynamodb.cache.near.invalidations", "books", "source", "local"))
					.isEqualTo(1);
			});
	}

	@Test
	void aWriteByOneApplicationReachesTheNearCacheOfAnotherOnTheSameTable() {
		this.runner.run((first) -> this.runner.run((second) -> {
			Cache writer = first.getBean(DynamoDbCacheManager.class).getCache("books");
			Cache reader = second.getBean(DynamoDbCacheManager.class).getCache("books");
			// Each store starts reading the stream with its first near cache.
			await(first.getBean(DynamoDbCacheStore.class)::isReadingStream);
			await(second.getBean(DynamoDbCacheStore.class)::isReadingStream);
			writer.put("isbn", "Dune");
			assertThat(reader.get("isbn", String.class)).isEqualTo("Dune");

			writer.put("isbn", "Dune Messiah");

			await(() -> "Dune Messiah".equals(reader.get("isbn", String.class)));
			writer.evict("isbn");
			await(() -> reader.get("isbn") == null);
		}));
	}

	@Test
	void withoutStreamInvalidationThereIsNoStreamsClient() {
		this.runner.withPropertyValues("dynamodb.cache.near-cache.stream-invalidation=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DynamoDbStreamsClient.class);
			assertThat(context.getBean(DynamoDbCacheStore.class).isReadingStream()).isFalse();
			assertThat(context.getBean(DynamoDbCacheManager.class).getDefaultCacheConfiguration().getNearCache())
				.isNotNull();
		});
	}

	@Test
	void aNearCacheWithoutCaffeineIsAnErrorThatNamesTheFix() {
		this.runner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("add com.github.ben-manes.caffeine:caffeine")
				.hasStackTraceContaining("dynamodb.cache.near-cache.enabled=false"));
	}

	@Test
	void oneCacheCanHaveANearCacheThatHearsOfOtherApplicationsWritesWhileTheOthersHaveNone() {
		this.runner
			.withPropertyValues("dynamodb.cache.near-cache.enabled=false",
					"dynamodb.cache.caches.prices.near-cache=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(DynamoDbStreamsClient.class)
					.hasSingleBean(DynamoDbNearCacheMetrics.class);
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				assertThat(manager.getDefaultCacheConfiguration().getNearCache()).isNull();
				assertThat(manager.getCacheConfigurations().get("prices").getNearCache())
					.isEqualTo(NearCacheSettings.DEFAULT);
				manager.getCache("prices");
				await(context.getBean(DynamoDbCacheStore.class)::isReadingStream);
			});
	}

	@Test
	void theNearCacheIsOffByDefault() {
		this.runner.withPropertyValues("dynamodb.cache.near-cache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DynamoDbStreamsClient.class)
				.doesNotHaveBean(DynamoDbNearCacheMetrics.class);
			assertThat(context.getBean(DynamoDbCacheManager.class).getDefaultCacheConfiguration().getNearCache())
				.isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
