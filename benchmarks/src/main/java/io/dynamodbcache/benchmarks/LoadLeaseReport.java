package io.dynamodbcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.cache.DynamoDbCacheConfiguration;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.springframework.cache.Cache;

/**
 * What a {@code @Cacheable(sync = true)} miss costs under the load lease when two nodes miss the same key at
 * once, on an in-process DynamoDB Local: two stores on one table stand for two nodes. The first node takes
 * the lease and loads for 200 ms; the second comes 10 ms later and waits. Printed: how long the waiter took
 * (and its ratio to the load time, measured in the same run), the loads (1 is right), and the requests each
 * node sent, by operation.
 * <p>
 * Not JMH: it measures one interaction's latency and requests. Run with
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.LoadLeaseReport}.
 */
public final class LoadLeaseReport {

	private static final Duration LOAD_TIME = Duration.ofMillis(200);

	private static final int ROUNDS = 30;

	private LoadLeaseReport() {
	}

	public static void main(String[] args) throws Exception {
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			Map<String, LongAdder> holderRequests = new ConcurrentHashMap<>();
			Map<String, LongAdder> waiterRequests = new ConcurrentHashMap<>();
			Cache holder = node(local, holderRequests);
			Cache waiter = node(local, waiterRequests);
			AtomicInteger loads = new AtomicInteger();
			List<Long> holderMillis = new ArrayList<>();
			List<Long> waiterMillis = new ArrayList<>();
			holder.get("warm-up", () -> "v");
			waiter.get("warm-up", () -> "v");
			holderRequests.clear();
			waiterRequests.clear();
			for (int round = 0; round < ROUNDS; round++) {
				String key = "report-" + round;
				CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> timed(holder, key, loads));
				Thread.sleep(10);
				long second = timed(waiter, key, loads);
				holderMillis.add(first.join());
				waiterMillis.add(second);
			}
			Collections.sort(holderMillis);
			Collections.sort(waiterMillis);
			long holderMedian = holderMillis.get(ROUNDS / 2);
			long waiterMedian = waiterMillis.get(ROUNDS / 2);
			System.out.printf("| rounds | loads | holder: median ms | waiter: median / max ms | waiter / holder "
					+ "| holder requests per round | waiter requests per round |%n|---:|---:|---:|---|---:|---|---|%n");
			System.out.printf("| %d | %d | %d | %d / %d | %.2f | %s | %s |%n", ROUNDS, loads.get(), holderMedian,
					waiterMedian, waiterMillis.get(ROUNDS - 1), (double) waiterMedian / holderMedian,
					perRound(holderRequests), perRound(waiterRequests));
		}
		System.exit(0);
	}

	private static Cache node(DynamoDbLocal local, Map<String, LongAdder> requests) {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(local.client())
			.tableName("load-lease")
			.requestListener((operation, duration, failure) -> requests
				.computeIfAbsent(operation + ((failure != null) ? " (failed)" : ""), (name) -> new LongAdder())
				.increment())
			.build();
		store.ensureTable();
		DynamoDbCacheManager manager = DynamoDbCacheManager.builder(store)
			.cacheDefaults(DynamoDbCacheConfiguration.defaultCacheConfig()
				.enableDistributedLoadLease(Duration.ofSeconds(10)))
			.build();
		manager.afterPropertiesSet();
		return manager.getCache("reports");
	}

	private static long timed(Cache cache, String key, AtomicInteger loads) {
		long start = System.nanoTime();
		cache.get(key, () -> {
			loads.incrementAndGet();
			Thread.sleep(LOAD_TIME.toMillis());
			return "loaded";
		});
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	private static String perRound(Map<String, LongAdder> requests) {
		List<String> parts = new ArrayList<>();
		requests.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> parts.add(String.format("%.1f %s", entry.getValue().sum() / (double) ROUNDS,
					entry.getKey())));
		return String.join(", ", parts);
	}

}
