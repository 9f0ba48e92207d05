package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.UnconfirmedEvictionException;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.FaultProxy;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An eviction ({@code @CacheEvict}) or clear ({@code @CacheEvict(allEntries = true)}) while DynamoDB does not
 * answer one node: the call does not return normally, that node reads the keys as missing at once, and once
 * DynamoDB answers again no node serves the evicted values, with near caches or without. Node A reaches
 * DynamoDB Local through a fault-injecting proxy, node B directly; both are lenient (the default).
 */
@DynamoDbLocalTest
class UnconfirmedEvictionFaultTests {

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private final String cacheName = "books-" + UUID.randomUUID();

	private FaultProxy proxy;

	@BeforeEach
	void startProxy(DynamoDbLocal local) {
		this.proxy = FaultProxy.start(local.endpoint());
		this.closeables.add(this.proxy);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@ParameterizedTest(name = "near caches: {0}")
	@ValueSource(booleans = { false, true })
	void anEvictionThatTimesOutThrowsAndTheEvictedValueIsNeverServedAfterRecovery(boolean nearCaches,
			DynamoDbClient direct, UniqueTableName table) {
		DynamoDbClient proxied = this.proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbCache nodeA = cache(proxied, table.value(), nearCaches);
		DynamoDbCache nodeB = cache(direct, table.value(), nearCaches);
		nodeA.put("evicted", "old");
		nodeA.put("kept", "kept");
		assertThat(nodeA.get("evicted", String.class)).isEqualTo("old");
		assertThat(nodeB.get("evicted", String.class)).isEqualTo("old");

		this.proxy.blackHole();
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(() -> nodeA.evict("evicted"));
		assertThat(nodeA.get("evicted")).isNull();

		this.proxy.passThrough();
		// Before the retry lands, node A still reads the key as missing, though DynamoDB holds it.
		assertThat(nodeA.get("evicted")).isNull();
		awaitGone(nodeB, "evicted");
		assertStaysGone(List.of(nodeA, nodeB), List.of("evicted"));
		assertThat(nodeB.get("kept", String.class)).isEqualTo("kept");
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "kept".equals(nodeA.get("kept", String.class)));
	}

	@ParameterizedTest(name = "near caches: {0}")
	@ValueSource(booleans = { false, true })
	void aClearThatTimesOutThrowsAndNoClearedValueIsServedAfterRecovery(boolean nearCaches, DynamoDbClient direct,
			UniqueTableName table) {
		DynamoDbClient proxied = this.proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbCache nodeA = cache(proxied, table.value(), nearCaches);
		DynamoDbCache nodeB = cache(direct, table.value(), nearCaches);
		for (int i = 0; i < 60; i++) {
			nodeB.put("key-" + i, "old-" + i);
			assertThat(nodeB.get("key-" + i, String.class)).isEqualTo("old-" + i);
		}

		this.proxy.blackHole();
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(nodeA::clear);
		assertThat(nodeA.get("key-0")).isNull();

		this.proxy.passThrough();
		assertThat(nodeA.get("key-1")).isNull();
		// The retried clear deletes in parallel batches: wait for all of it, not for one key; node B's near cache
		// hears of the deletes through the invalidation feed.
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.estimatedSize() == 0);
		keys(60).forEach((key) -> awaitGone(nodeB, key));
		assertStaysGone(List.of(nodeA, nodeB), keys(60));
		assertThat(nodeB.estimatedSize()).isZero();
	}

	@ParameterizedTest(name = "near caches: {0}")
	@ValueSource(booleans = { false, true })
	void aClearCutOffPartWayThrowsAndLeavesNothingBehindAfterRecovery(boolean nearCaches, DynamoDbClient direct,
			UniqueTableName table) throws Exception {
		DynamoDbClient proxied = this.proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbCache nodeA = cache(proxied, table.value(), nearCaches);
		DynamoDbCache nodeB = cache(direct, table.value(), nearCaches);
		// 100 keys over 16 shards: the clear takes far more than the 3 requests let through.
		for (int i = 0; i < 100; i++) {
			nodeB.put("key-" + i, "old-" + i);
		}

		// The clear's first requests get through; the proxy stops answering while it runs.
		Thread cutOff = new Thread(() -> {
			long start = System.nanoTime();
			while (this.proxy.requests() < 3 && System.nanoTime() - start < 5_000_000_000L) {
				Thread.onSpinWait();
			}
			this.proxy.blackHole();
		});
		long before = this.proxy.requests();
		cutOff.start();
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(nodeA::clear);
		cutOff.join();
		assertThat(this.proxy.requests()).isGreaterThan(before);

		this.proxy.passThrough();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.estimatedSize() == 0);
		keys(100).forEach((key) -> awaitGone(nodeB, key));
		assertStaysGone(List.of(nodeA, nodeB), keys(100));
	}

	@ParameterizedTest(name = "near caches: {0}")
	@ValueSource(booleans = { false, true })
	void aNodeStoppedBeforeDynamoDbAnswersWaitsForItsEvictionsSoThatNoNodeServesThemAfterRecovery(boolean nearCaches,
			DynamoDbClient direct, UniqueTableName table) throws Exception {
		DynamoDbClient proxied = this.proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbCache nodeA = cache(proxied, table.value(), nearCaches, Duration.ofSeconds(60));
		DynamoDbCache nodeB = cache(direct, table.value(), nearCaches);
		nodeA.put("evicted", "old");
		for (int i = 0; i < 30; i++) {
			nodeB.put("key-" + i, "old-" + i);
			assertThat(nodeB.get("key-" + i, String.class)).isEqualTo("old-" + i);
		}
		assertThat(nodeB.get("evicted", String.class)).isEqualTo("old");

		this.proxy.blackHole();
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(() -> nodeA.evict("evicted"));
		assertThatExceptionOfType(UnconfirmedEvictionException.class).isThrownBy(nodeA::clear);
		assertThat(nodeA.getNativeCache().getUnconfirmedEvictions()).isEqualTo(2);
		// A deploy stops node A while DynamoDB still does not answer it.
		Thread stop = new Thread(nodeA.getNativeCache()::close);
		stop.start();
		Awaitility.await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(stop.isAlive()).as("node A waits for its evictions").isTrue();

		this.proxy.passThrough();
		stop.join(Duration.ofSeconds(30).toMillis());

		assertThat(stop.isAlive()).isFalse();
		assertThat(nodeA.getNativeCache().getUnconfirmedEvictions()).isZero();
		awaitGone(nodeB, "evicted");
		keys(30).forEach((key) -> awaitGone(nodeB, key));
		List<String> removed = new java.util.ArrayList<>(keys(30));
		removed.add("evicted");
		assertStaysGone(List.of(nodeB), removed);
	}

	private DynamoDbCache cache(DynamoDbClient client, String table, boolean nearCache) {
		return cache(client, table, nearCache, Duration.ofSeconds(1));
	}

	private DynamoDbCache cache(DynamoDbClient client, String table, boolean nearCache, Duration closeTimeout) {
		DynamoDbCacheStore store;
		if (nearCache) {
			DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
			this.closeables.add(streams);
			DynamoDbCacheStore built = DynamoDbCacheStore.builder(client)
				.tableName(table)
				.closeTimeout(closeTimeout)
				.streamsClient(streams)
				.streamPollInterval(Duration.ofMillis(100))
				.build();
			this.closeables.add(built::close);
			store = built.withNearCache(new NearCacheSettings(1_000, Duration.ofMinutes(10)));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(store::isReadingStream);
		}
		else {
			store = DynamoDbCacheStore.builder(client).tableName(table).closeTimeout(closeTimeout).build();
			this.closeables.add(store::close);
		}
		DynamoDbCacheManager manager = DynamoDbCacheManager.create(store);
		manager.afterPropertiesSet();
		return (DynamoDbCache) manager.getCache(this.cacheName);
	}

	private static void awaitGone(DynamoDbCache node, String key) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> node.get(key) == null);
	}

	private static List<String> keys(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "key-" + i).toList();
	}

	/** Once gone, keys stay gone on every node: read all of them, again and again for half a second. */
	private static void assertStaysGone(List<DynamoDbCache> nodes, List<String> keys) {
		long end = System.nanoTime() + Duration.ofMillis(500).toNanos();
		do {
			for (String key : keys) {
				for (DynamoDbCache node : nodes) {
					assertThat(node.get(key)).as("%s on %s", key, node).isNull();
				}
			}
		}
		while (System.nanoTime() < end);
	}

}
