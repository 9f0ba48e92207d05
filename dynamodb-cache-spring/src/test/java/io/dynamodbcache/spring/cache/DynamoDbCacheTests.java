package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.MutableClock;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@DynamoDbLocalTest
class DynamoDbCacheTests {

	private static DynamoDbCacheStore store;

	private static MutableClock clock;

	private DynamoDbCacheManager manager;

	private String name;

	@BeforeAll
	static void createStore(DynamoDbClient client, DynamoDbAsyncClient asyncClient, UniqueTableName table) {
		clock = MutableClock.startingNow();
		store = DynamoDbCacheStore.builder(client)
			.asyncClient(asyncClient)
			.tableName(table.value())
			.clock(clock)
			.codec(JacksonValueCodec.builder().allowPackages("io.dynamodbcache.spring").build())
			.build();
		store.ensureTable();
		warmUp(asyncClient, table.value());
	}

	/**
	 * The async client's first burst opens its connections and compiles its path: eight of them at once could
	 * take longer than a read's budget, fail, and open the store's circuit breaker for the tests after.
	 */
	private static void warmUp(DynamoDbAsyncClient asyncClient, String table) {
		for (int round = 0; round < 5; round++) {
			List<CompletableFuture<?>> reads = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				reads.add(asyncClient.getItem((request) -> request.tableName(table)
					.key(java.util.Map.of("pk", AttributeValue.fromS("warm-up"), "sk", AttributeValue.fromS("k")))));
			}
			CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
		}
	}

	@BeforeEach
	void createManager() {
		this.manager = DynamoDbCacheManager.builder(store).build();
		this.manager.afterPropertiesSet();
		this.name = "cache-" + UUID.randomUUID();
	}

	private DynamoDbCache cache() {
		return (DynamoDbCache) this.manager.getCache(this.name);
	}

	private DynamoDbCache cache(DynamoDbCacheConfiguration configuration) {
		DynamoDbCacheManager custom = DynamoDbCacheManager.builder(store)
			.withCacheConfiguration(this.name, configuration)
			.build();
		custom.afterPropertiesSet();
		return (DynamoDbCache) custom.getCache(this.name);
	}

	@Test
	void putThenGetReturnsTheValueAndCountsHitsAndMisses() {
		DynamoDbCache cache = cache();
		assertThat(cache.get("k")).isNull();

		cache.put("k", new Greeting("hello", 3));

		assertThat(cache.get("k", Greeting.class)).isEqualTo(new Greeting("hello", 3));
		assertThat(cache.getStatistics().getHits()).isEqualTo(1);
		assertThat(cache.getStatistics().getMisses()).isEqualTo(1);
		assertThat(cache.getStatistics().getPuts()).isEqualTo(1);
	}

	@Test
	void nullValuesAreCachedAsPresentEntries() {
		DynamoDbCache cache = cache();
		cache.put("nothing", null);

		ValueWrapper wrapper = cache.get("nothing");
		assertThat(wrapper).isNotNull();
		assertThat(wrapper.get()).isNull();
	}

	@Test
	void nullValuesWhenDisabledAreRefusedWithAHintAtUnless() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig().disableCachingNullValues());

		assertThatIllegalArgumentException().isThrownBy(() -> cache.put("k", null))
			.withMessageContaining("unless = \"#result == null\"");
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void aNullLoadWhenNullsAreDisabledFailsAsOnConcurrentMapCacheWithOrWithoutSync() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig().disableCachingNullValues());
		Cache reference = new ConcurrentMapCache("reference", false);

		assertThatExceptionOfType(Cache.ValueRetrievalException.class).isThrownBy(() -> reference.get("k", () -> null))
			.withCauseInstanceOf(IllegalArgumentException.class);
		assertThatExceptionOfType(Cache.ValueRetrievalException.class).isThrownBy(() -> cache.get("k", () -> null))
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("cache-null-values=true");
		assertThat(cache.get("k")).as("a null load is not cached").isNull();
		assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture(null))).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void keysOfAnyTypeAreEncodedByTypeSoThatUnequalKeysNeverShareAnEntry() {
		DynamoDbCache cache = cache();
		cache.put(42L, "long");
		cache.put("42", "string");
		cache.put(new SimpleKey("a", 1), "composite");
		cache.put(Duration.ofSeconds(5), "duration");
		cache.put(Color.RED, "enum");
		cache.put(new Sku("A-1", 42), "record");

		assertThat(cache.get(42L).get()).isEqualTo("long");
		assertThat(cache.get("42").get()).isEqualTo("string");
		assertThat(cache.get(42)).as("an Integer is not a Long").isNull();
		assertThat(cache.get(new SimpleKey("a", 1)).get()).isEqualTo("composite");
		assertThat(cache.get(Duration.ofSeconds(5)).get()).isEqualTo("duration");
		assertThat(cache.get(Color.RED).get()).isEqualTo("enum");
		assertThat(cache.get(new Sku("A-1", 42)).get()).isEqualTo("record");
		assertThat(store.keys(this.name)).contains("42", "~l:42", "~k[2:'a3:i:1]", "~t:java.time.Duration:PT5S",
				"~e:" + Color.class.getName() + ".RED");
	}

	@Test
	void aKeyWithNoStableFormGoesToTheMethodEveryTimeUnlessStrict() {
		DynamoDbCache cache = cache();
		Object identityKey = new Object();
		AtomicInteger loads = new AtomicInteger();

		cache.put(identityKey, "v");
		assertThat(cache.get(identityKey)).isNull();
		assertThat((Object) cache.get(identityKey, loads::incrementAndGet)).isEqualTo(1);
		assertThat((Object) cache.get(identityKey, loads::incrementAndGet)).isEqualTo(2);
		assertThat(cache.evictIfPresent(identityKey)).isFalse();
		assertThat(store.keys(this.name)).isEmpty();

		DynamoDbCacheManager strict = DynamoDbCacheManager.builder(store).strict().build();
		strict.afterPropertiesSet();
		assertThatIllegalArgumentException().isThrownBy(() -> strict.getCache(this.name).put(identityKey, "v"))
			.withMessageContaining("key = \"#p0.id\"")
			.withMessageContaining("KeyGenerator")
			.withMessageContaining("withConversionService");
	}

	@Test
	void putIfAbsentIsAtomicAndReturnsTheExistingValue() {
		DynamoDbCache cache = cache();

		assertThat(cache.putIfAbsent("k", "first")).isNull();
		assertThat(cache.putIfAbsent("k", "second").get()).isEqualTo("first");
		assertThat(cache.get("k").get()).isEqualTo("first");
	}

	@Test
	void evictClearAndInvalidateRemoveEntries() {
		DynamoDbCache cache = cache();
		cache.put("a", 1);
		cache.put("b", 2);
		cache.put("c", 3);

		assertThat(cache.evictIfPresent("a")).isTrue();
		assertThat(cache.evictIfPresent("a")).isFalse();
		cache.evict("b");
		assertThat(cache.get("b")).isNull();
		assertThat(cache.invalidate()).isTrue();
		assertThat(cache.invalidate()).isFalse();
		cache.put("d", 4);
		cache.clear();
		assertThat(cache.estimatedSize()).isZero();
	}

	@Test
	void entriesExpireAfterTheConfiguredTimeToLive() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofMinutes(5)));
		cache.put("k", "v");

		clock.advance(Duration.ofMinutes(4));
		assertThat(cache.get("k")).isNotNull();
		clock.advance(Duration.ofMinutes(1));
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void ttlFunctionSeesKeyAndValue() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig()
			.entryTtl((key, value) -> "short".equals(value) ? Duration.ofSeconds(10) : Duration.ZERO));
		cache.put("a", "short");
		cache.put("b", "forever");

		clock.advance(Duration.ofSeconds(10));

		assertThat(cache.get("a")).isNull();
		assertThat(cache.get("b").get()).isEqualTo("forever");
	}

	@Test
	void timeToIdleSlidesWithReads() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig().timeToIdle(Duration.ofSeconds(30)));
		cache.put("session", "token");

		for (int i = 0; i < 4; i++) {
			clock.advance(Duration.ofSeconds(20));
			assertThat(cache.get("session")).isNotNull();
		}
		clock.advance(Duration.ofSeconds(30));
		assertThat(cache.get("session")).isNull();
	}

	@Test
	void cacheNamePrefixKeepsApplicationsApart() {
		DynamoDbCache first = cache(DynamoDbCacheConfiguration.defaultCacheConfig().prefixCacheNameWith("app1:"));
		DynamoDbCache second = cache(DynamoDbCacheConfiguration.defaultCacheConfig().prefixCacheNameWith("app2:"));
		first.put("k", "one");
		second.put("k", "two");

		assertThat(first.get("k").get()).isEqualTo("one");
		assertThat(second.get("k").get()).isEqualTo("two");
		assertThat(store.keys("app1:" + this.name)).containsExactly("k");
	}

	@Test
	void syncGetWith32ConcurrentCallersLoadsOnce() throws Exception {
		DynamoDbCache cache = cache();
		AtomicInteger loads = new AtomicInteger();
		List<Object> results = runConcurrently(32, () -> cache.get("slow", () -> {
			loads.incrementAndGet();
			Thread.sleep(300);
			return "loaded";
		}));

		assertThat(loads).hasValue(1);
		assertThat(results).hasSize(32).containsOnly("loaded");
		assertThat(cache.getStatistics().getLoads()).isEqualTo(1);
		assertThat(cache.getStatistics().getTotalLoadTime()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void loadLeaseMakesSeveralNodesLoadOnce() throws Exception {
		DynamoDbCacheConfiguration leased = DynamoDbCacheConfiguration.defaultCacheConfig()
			.enableDistributedLoadLease(Duration.ofSeconds(10));
		// Three managers stand for three nodes: each has its own in-JVM single flight.
		List<DynamoDbCache> nodes = List.of(cache(leased), cache(leased), cache(leased));
		AtomicInteger loads = new AtomicInteger();
		AtomicInteger next = new AtomicInteger();
		List<Object> results = runConcurrently(24, () -> nodes.get(next.getAndIncrement() % 3).get("report", () -> {
			loads.incrementAndGet();
			Thread.sleep(500);
			return "report-v1";
		}));

		assertThat(loads).hasValue(1);
		assertThat(results).hasSize(24).containsOnly("report-v1");
		assertThat(store.leases("_load-lease_:" + this.name).tryAcquire("report", Duration.ofSeconds(10)))
			.as("lease released")
			.isNotNull();
	}

	@Test
	void aNodeWhoseLeaseExpiredMidLoadCannotReleaseTheNextHoldersLease() {
		DynamoDbCache cache = cache(DynamoDbCacheConfiguration.defaultCacheConfig()
			.enableDistributedLoadLease(Duration.ofSeconds(10)));
		String leaseCache = "_load-lease_:" + this.name;

		Object loaded = cache.get("report", () -> {
			// This node's lease runs out while it loads, and another node takes the next one.
			clock.advance(Duration.ofSeconds(11));
			assertThat(store.putIfAbsent(leaseCache, "report", "next-holder", Duration.ofSeconds(10), null)).isNull();
			return "report-v1";
		});

		assertThat(loaded).isEqualTo("report-v1");
		assertThat(store.get(leaseCache, "report")).as("the next holder's lease").isEqualTo("next-holder");
	}

	@Test
	void failingLoaderIsWrappedAndNothingIsCached() {
		DynamoDbCache cache = cache();

		assertThatExceptionOfType(org.springframework.cache.Cache.ValueRetrievalException.class)
			.isThrownBy(() -> cache.get("k", () -> {
				throw new IllegalStateException("backend down");
			}))
			.withRootCauseInstanceOf(IllegalStateException.class);
		assertThat(cache.get("k")).isNull();
	}

	@Test
	void retrieveReadsAsynchronously() throws Exception {
		DynamoDbCache cache = cache();
		cache.put("k", "v");

		CompletableFuture<?> hit = cache.retrieve("k");
		CompletableFuture<?> miss = cache.retrieve("absent");

		assertThat(((ValueWrapper) hit.get(10, TimeUnit.SECONDS)).get()).isEqualTo("v");
		assertThat(miss.get(10, TimeUnit.SECONDS)).isNull();
	}

	@Test
	void retrieveWithLoaderLoadsOnMissAndCachesTheResult() throws Exception {
		DynamoDbCache cache = cache();
		AtomicInteger loads = new AtomicInteger();

		for (int i = 0; i < 3; i++) {
			String value = cache.retrieve("k", () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture("loaded");
			}).get(10, TimeUnit.SECONDS);
			assertThat(value).isEqualTo("loaded");
		}

		assertThat(loads).hasValue(1);
		assertThat(cache.get("k").get()).isEqualTo("loaded");
	}

	/**
	 * Callers that retrieve one missing key from the caches in turn, each with a loader that counts its loads and
	 * returns the given future; the key is "k", or "report" where there are several caches (nodes).
	 */
	private static List<CompletableFuture<String>> retrieveConcurrently(List<? extends Cache> caches, int count,
			AtomicInteger loads, CompletableFuture<String> result) {
		String key = (caches.size() > 1) ? "report" : "k";
		List<CompletableFuture<String>> callers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			callers.add(caches.get(i % caches.size()).retrieve(key, () -> {
				loads.incrementAndGet();
				return result;
			}));
		}
		return callers;
	}

	@Test
	void concurrentRetrievesOfAMissingKeyLoadOnceAsWithConcurrentMapCache() throws Exception {
		ConcurrentMapCache reference = new ConcurrentMapCache("reference");
		DynamoDbCache cache = cache();

		for (Cache each : List.of(reference, cache)) {
			AtomicInteger loads = new AtomicInteger();
			CompletableFuture<String> slow = new CompletableFuture<>();
			List<CompletableFuture<String>> callers = retrieveConcurrently(List.of(each), 8, loads, slow);
			if (each == cache) {
				// Every caller has missed before the load ends: each could have started a load of its own.
				await().atMost(Duration.ofSeconds(30)).until(() -> cache.getStatistics().getMisses() == 8);
			}
			else {
				await().atMost(Duration.ofSeconds(30)).until(() -> loads.get() == 1);
			}
			slow.complete("loaded");

			for (CompletableFuture<String> caller : callers) {
				assertThat(caller.get(30, TimeUnit.SECONDS)).as("%s", each).isEqualTo("loaded");
			}
			assertThat(loads).as("%s", each).hasValue(1);
		}
		assertThat(cache.get("k").get()).isEqualTo("loaded");
	}

	@Test
	void aFailedAsyncLoadFailsItsCallersWithTheLoadersFailureIsNotCachedAndTheNextCallerLoadsAgain() throws Exception {
		DynamoDbCache cache = cache();
		AtomicInteger loads = new AtomicInteger();
		CompletableFuture<String> failing = new CompletableFuture<>();
		List<CompletableFuture<String>> callers = retrieveConcurrently(List.of(cache), 4, loads, failing);
		await().atMost(Duration.ofSeconds(30)).until(() -> cache.getStatistics().getMisses() == 4);
		failing.completeExceptionally(new IllegalStateException("backend down"));

		for (CompletableFuture<String> caller : callers) {
			assertThat(caller).failsWithin(Duration.ofSeconds(30))
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.withCauseInstanceOf(IllegalStateException.class);
		}
		assertThat(loads).hasValue(1);
		assertThat(cache.get("k")).isNull();
		assertThat(cache.retrieve("k", () -> {
			loads.incrementAndGet();
			return CompletableFuture.completedFuture("recovered");
		}).get(30, TimeUnit.SECONDS)).isEqualTo("recovered");
		assertThat(loads).hasValue(2);
	}

	@Test
	void aCallerThatCancelsItsFutureCancelsNoOtherCallersLoad() throws Exception {
		DynamoDbCache cache = cache();
		CompletableFuture<String> slow = new CompletableFuture<>();
		CompletableFuture<String> first = cache.retrieve("k", () -> slow);
		CompletableFuture<String> second = cache.retrieve("k", () -> slow);
		await().atMost(Duration.ofSeconds(30)).until(() -> cache.getStatistics().getMisses() == 2);

		first.cancel(true);
		slow.complete("loaded");

		assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
	}

	@Test
	void asyncRetrievesOnSeveralNodesLoadOnceUnderTheLoadLease() throws Exception {
		DynamoDbCacheConfiguration leased = DynamoDbCacheConfiguration.defaultCacheConfig()
			.enableDistributedLoadLease(Duration.ofSeconds(10));
		List<DynamoDbCache> nodes = List.of(cache(leased), cache(leased), cache(leased));
		AtomicInteger loads = new AtomicInteger();
		CompletableFuture<String> slow = new CompletableFuture<>();
		List<CompletableFuture<String>> callers = retrieveConcurrently(nodes, 12, loads, slow);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> nodes.stream().mapToLong((node) -> node.getStatistics().getMisses()).sum() >= 12);
		slow.complete("report-v1");

		for (CompletableFuture<String> caller : callers) {
			assertThat(caller.get(30, TimeUnit.SECONDS)).isEqualTo("report-v1");
		}
		assertThat(loads).hasValue(1);
		assertThat(store.leases("_load-lease_:" + this.name).tryAcquire("report", Duration.ofSeconds(10)))
			.as("lease released")
			.isNotNull();
	}

	@Test
	void managerCreatesCachesOnDemandUnlessDisabled() {
		DynamoDbCacheManager fixed = DynamoDbCacheManager.builder(store)
			.initialCacheNames(java.util.Set.of("known"))
			.disableCreateOnMissingCache()
			.build();
		fixed.afterPropertiesSet();

		assertThat(fixed.getCache("known")).isInstanceOf(DynamoDbCache.class);
		assertThat(fixed.getCache("unknown")).isNull();
		assertThat(this.manager.getCache("anything")).isInstanceOf(DynamoDbCache.class);
	}

	@Test
	void transactionAwareCachesWriteOnlyWhenTheTransactionCommits() {
		DynamoDbCacheManager transactional = DynamoDbCacheManager.builder(store).transactionAware().build();
		transactional.afterPropertiesSet();
		org.springframework.cache.Cache cache = transactional.getCache(this.name);
		TransactionTemplate transactions = new TransactionTemplate(new NoOpTransactionManager());

		transactions.executeWithoutResult((status) -> {
			cache.put("committed", "v");
			assertThat(store.get(this.name, "committed")).as("deferred until commit").isNull();
		});
		transactions.executeWithoutResult((status) -> {
			cache.put("rolled-back", "v");
			status.setRollbackOnly();
		});

		assertThat(store.get(this.name, "committed")).isEqualTo("v");
		assertThat(store.containsKey(this.name, "rolled-back")).isFalse();
	}

	/** Transaction synchronization without a resource: enough to drive transaction-aware caches. */
	static class NoOpTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

	private static List<Object> runConcurrently(int threads, java.util.concurrent.Callable<Object> task)
			throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<Object> results = new ArrayList<>();
			for (Future<Object> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	record Greeting(String text, int times) {
	}

	record Sku(String sku, int size) {
	}

	enum Color {

		RED

	}

}
