package io.dynamodbcache.spring.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.spring.cache.DynamoDbCache;
import io.dynamodbcache.spring.it.BookService.Book;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter as an application uses it: {@code @EnableCaching}, annotated methods, properties only.
 */
@DynamoDbLocalTest
@ExtendWith(OutputCaptureExtension.class)
class CachingIntegrationTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private String table;

	private DynamoDbLocal local;

	@BeforeEach
	void setUp(DynamoDbLocal local, UniqueTableName table) {
		this.local = local;
		this.table = table.value() + "-" + System.nanoTime();
	}

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("dynamodb.cache.endpoint=" + this.local.endpoint(),
				"dynamodb.cache.table-name=" + this.table, "dynamodb.cache.credentials.access-key-id=dynamodbcache",
				"dynamodb.cache.credentials.secret-access-key=local", "dynamodb.cache.caches.prices.time-to-live=30s",
				"management.metrics.enable.all=true"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CachingApplication.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	@Test
	void secondCallIsServedFromDynamoDb() {
		ConfigurableApplicationContext context = start();
		BookService service = context.getBean(BookService.class);

		Book first = service.find("isbn-1");
		Book second = service.find("isbn-1");

		assertThat(second).isEqualTo(first);
		assertThat(service.loadCount()).isEqualTo(1);
		assertThat(service.findEdition("isbn-1", 2)).isEqualTo(service.findEdition("isbn-1", 2));
		assertThat(service.loadCount()).isEqualTo(2);
	}

	@Test
	void perCacheTimeToLiveExpiresEntries() {
		BookService service = start("dynamodb.cache.time-to-live=10m").getBean(BookService.class);
		service.price("isbn-1");
		service.find("isbn-1");

		CachingApplication.CLOCK.advance(Duration.ofSeconds(30));
		service.price("isbn-1");
		service.find("isbn-1");

		assertThat(service.loadCount()).as("prices expired after 30 s, books live for 10 min").isEqualTo(3);
		CachingApplication.CLOCK.advance(Duration.ofMinutes(10));
		service.find("isbn-1");
		assertThat(service.loadCount()).isEqualTo(4);
	}

	@Test
	void nullResultsAreCachedByDefault() {
		BookService service = start().getBean(BookService.class);

		assertThat(service.findNothing("x")).isNull();
		assertThat(service.findNothing("x")).isNull();
		assertThat(service.loadCount()).isEqualTo(1);
	}

	@Test
	void putAndEvictAnnotationsWriteThrough() {
		BookService service = start().getBean(BookService.class);
		service.find("isbn-1");
		service.update(new Book("isbn-1", "New title"));
		assertThat(service.find("isbn-1").title()).isEqualTo("New title");

		service.remove("isbn-1");
		service.find("isbn-1");
		service.find("isbn-2");
		service.removeAll();
		service.find("isbn-2");

		assertThat(service.loadCount()).isEqualTo(4);
	}

	@Test
	void syncCacheableWith32ConcurrentCallersLoadsOnce() throws Exception {
		BookService service = start().getBean(BookService.class);
		ExecutorService executor = Executors.newFixedThreadPool(32);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Book>> results = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				results.add(executor.submit(() -> {
					go.await();
					return service.findSlowly("hot");
				}));
			}
			go.countDown();
			for (Future<Book> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS).title()).isEqualTo("Slow");
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(service.loadCount()).isEqualTo(1);
	}

	@Test
	void syncCacheableReturningACompletableFutureWith8ConcurrentCallersLoadsOnce() throws Exception {
		BookService service = start().getBean(BookService.class);

		List<CompletableFuture<Book>> results = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			results.add(service.findAsyncSlowly("hot"));
		}
		for (CompletableFuture<Book> result : results) {
			assertThat(result.get(30, TimeUnit.SECONDS).title()).isEqualTo("Async slow");
		}

		assertThat(service.loadCount()).isEqualTo(1);
	}

	@Test
	void completableFutureResultsAreCachedThroughRetrieve() throws Exception {
		ConfigurableApplicationContext context = start();
		BookService service = context.getBean(BookService.class);

		Book first = service.findAsync("isbn-9").get(10, TimeUnit.SECONDS);
		Book second = service.findAsync("isbn-9").get(10, TimeUnit.SECONDS);

		assertThat(second).isEqualTo(first);
		assertThat(service.loadCount()).isEqualTo(1);
		DynamoDbCache cache = (DynamoDbCache) context.getBean(CacheManager.class).getCache("async-books");
		assertThat(cache.getStatistics().getHits()).isEqualTo(1);
	}

	@Test
	void twoApplicationsSharingATableSeeEachOthersEntriesAndEvictions() {
		BookService first = start().getBean(BookService.class);
		BookService second = start().getBean(BookService.class);

		first.find("shared");
		assertThat(second.find("shared")).isEqualTo(first.find("shared"));
		assertThat(second.loadCount()).isEqualTo(0);

		second.remove("shared");
		first.find("shared");
		assertThat(first.loadCount()).isEqualTo(2);
	}

	@Test
	void cacheMetricsCountHitsMissesAndPutsAlsoForCachesCreatedAtRuntime(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start();
		CacheManager manager = context.getBean(CacheManager.class);
		// Many threads ask for the same new cache at once: its meters are registered once.
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 20; round++) {
				String name = "runtime-" + round;
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> calls = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					calls.add(pool.submit(() -> {
						start.await();
						return manager.getCache(name);
					}));
				}
				start.countDown();
				for (Future<?> call : calls) {
					call.get(10, TimeUnit.SECONDS);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		BookService service = context.getBean(BookService.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);

		service.find("a");
		service.find("a");
		service.find("b");

		assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "hit").functionCounter().count())
			.isEqualTo(1);
		assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "miss").functionCounter().count())
			.isEqualTo(2);
		assertThat(registry.get("cache.puts").tag("cache", "books").functionCounter().count()).isEqualTo(2);
		assertThat(registry.find("cache.gets").tag("cache", "runtime-7").tag("result", "miss").functionCounter())
			.isNotNull();
		assertThat(output).doesNotContain("has been already registered");
	}

}
