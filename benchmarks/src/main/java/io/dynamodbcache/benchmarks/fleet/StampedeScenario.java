package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.dynamodbcache.benchmarks.fleet.Fleet.Node;
import io.dynamodbcache.core.RequestBudget;
import io.dynamodbcache.spring.cache.DynamoDbCacheConfiguration;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.springframework.cache.Cache;

/**
 * Scenario (c): one hot key, a {@code @Cacheable(sync = true)} miss on every node at once, a 200 ms
 * loader, the distributed load lease on. Measured per stampede: loads (1 is right), caller latency, the
 * reads the waiters sent per second, and what the limits model throttled. Run with DynamoDB's limits, and
 * with the key's partition limit scaled down so that the waiters' reads are throttled. Unmeasured stampedes
 * before the measured ones warm the nodes up.
 */
final class StampedeScenario {

	static final Duration LOAD_TIME = Duration.ofMillis(200);

	/** Unmeasured stampedes before the measured ones: after about 20, a hundred nodes' p99 no longer falls. */
	static final int WARM_UPS = 20;

	private StampedeScenario() {
	}

	/**
	 * Run the scenario.
	 * @param warmUps how many unmeasured stampedes come first (on keys of their own)
	 * @param rounds how many stampedes are measured
	 * @param limitScale the limits model's partition limits, as a share of DynamoDB's
	 */
	static Result run(DynamoDbLocal local, String table, int nodeCount, int warmUps, int rounds, double limitScale)
			throws InterruptedException {
		DynamoDbLimits limits = DynamoDbLimits.builder().scale(limitScale).build();
		try (Fleet fleet = new Fleet(local, table, limits)) {
			// A hundred simultaneous lease requests take DynamoDB Local on two cores more than the default 900 ms.
			fleet.budget(new RequestBudget(Duration.ofSeconds(3), Duration.ofSeconds(5), 3));
			List<Node> nodes = fleet.start(nodeCount, null);
			List<Cache> caches = new ArrayList<>();
			for (Node node : nodes) {
				DynamoDbCacheManager manager = DynamoDbCacheManager.builder(node.store())
					.cacheDefaults(DynamoDbCacheConfiguration.defaultCacheConfig()
						.enableDistributedLoadLease(Duration.ofSeconds(10)))
					.build();
				manager.afterPropertiesSet();
				caches.add(manager.getCache("stampede"));
			}
			// Unmeasured stampedes first, as JMH's warm-up iterations: a node of a real fleet is a JVM that has
			// compiled its request path long before a hot key expires, while these hundred nodes share one JVM that
			// has sent a few hundred requests when the harness starts, and would measure its JIT compiling.
			for (int warmUp = 0; warmUp < warmUps; warmUp++) {
				String key = "warm-up-" + warmUp;
				atOnce(caches, (cache) -> {
					try {
						cache.get(key, () -> {
							Thread.sleep(LOAD_TIME.toMillis());
							return "loaded";
						});
					}
					catch (RuntimeException ex) {
						// only warming up
					}
				});
			}
			// The machine's floor: every node reads one key at once, no lease, no loader.
			List<Duration> floor = new CopyOnWriteArrayList<>();
			for (int round = 0; round < 3; round++) {
				String key = "floor-" + round;
				atOnce(nodes, (node) -> {
					long begin = System.nanoTime();
					try {
						node.store().getEntry(Fleet.CACHE, key);
						floor.add(Duration.ofNanos(System.nanoTime() - begin));
					}
					catch (RuntimeException ex) {
						// a failed read has no latency to report
					}
				});
			}
			fleet.resetCounts();
			List<Integer> loadsPerRound = new ArrayList<>();
			List<Duration> latencies = new CopyOnWriteArrayList<>();
			List<Duration> untilLoad = new ArrayList<>();
			List<Duration> afterLoad = new CopyOnWriteArrayList<>();
			LongAdder failures = new LongAdder();
			double readsPerSecond = 0;
			for (int round = 0; round < rounds; round++) {
				String key = "hot-" + round;
				AtomicInteger loads = new AtomicInteger();
				AtomicLong loadStarted = new AtomicLong();
				AtomicLong loadEnded = new AtomicLong();
				List<Long> returned = new CopyOnWriteArrayList<>();
				long readsBefore = fleet.requests("GetItem") + fleet.requests("GetItem (failed)");
				long begin = atOnce(caches, (cache) -> {
					long called = System.nanoTime();
					try {
						Object value = cache.get(key, () -> {
							if (loads.incrementAndGet() == 1) {
								loadStarted.set(System.nanoTime());
							}
							Thread.sleep(LOAD_TIME.toMillis());
							loadEnded.compareAndSet(0, System.nanoTime());
							return "loaded";
						});
						long now = System.nanoTime();
						latencies.add(Duration.ofNanos(now - called));
						returned.add(now);
						if (!"loaded".equals(value)) {
							failures.increment();
						}
					}
					catch (RuntimeException ex) {
						failures.increment();
					}
				});
				double seconds = (System.nanoTime() - begin) / 1e9;
				long reads = fleet.requests("GetItem") + fleet.requests("GetItem (failed)") - readsBefore;
				readsPerSecond = Math.max(readsPerSecond, reads / seconds);
				loadsPerRound.add(loads.get());
				if (loadStarted.get() != 0) {
					untilLoad.add(Duration.ofNanos(loadStarted.get() - begin));
					returned.forEach((at) -> afterLoad.add(Duration.ofNanos(Math.max(0, at - loadEnded.get()))));
				}
				InvalidationScenario.sleep(500);
			}
			return new Result(nodeCount, limits.partitionReadUnits(), rounds, loadsPerRound, Percentiles.of(floor),
					Percentiles.of(latencies), Percentiles.of(untilLoad), Percentiles.of(afterLoad), failures.sum(),
					readsPerSecond, limits.throttled(), fleet.requests());
		}
	}

	/**
	 * Call every item on a thread of its own, all released at once, and wait for them (a minute at most).
	 * @return when they were released ({@link System#nanoTime()})
	 */
	private static <T> long atOnce(List<T> items, Consumer<T> call) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (T item : items) {
			threads.add(Fleet.daemon(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				call.accept(item);
			}));
		}
		long released = System.nanoTime();
		start.countDown();
		for (Thread thread : threads) {
			thread.join(60_000);
		}
		return released;
	}

	/**
	 * A scenario's figures.
	 * @param untilLoad from the stampede's start to the start of its first load (the misses, the lease)
	 * @param afterLoad from the end of the first load to each caller's return (storing the value, the waiters
	 * seeing it)
	 */
	record Result(int nodes, double partitionReadUnits, int rounds, List<Integer> loadsPerRound, Percentiles floor,
			Percentiles latency, Percentiles untilLoad, Percentiles afterLoad, long failures,
			double peakReadsPerSecond, Map<String, Long> throttled, Map<String, Long> requests) {

		static String header() {
			return "| nodes | partition read units/s (model) | stampedes | loads per stampede | one read on every node "
					+ "at once, no lease (this machine's floor) p50 / p99 / max | caller latency p50 / p99 / max "
					+ "(loader 200 ms) | of which until the load starts p50 / p99 / max | of which after the load ends "
					+ "p50 / p99 / max | failed calls | reads of the key per s (peak round) | throttled requests |\n"
					+ "|---:|---:|---:|---|---|---|---|---|---:|---:|---|";
		}

		String row() {
			return String.format("| %d | %.0f | %d | %s | %s | %s | %s | %s | %d | %.0f | %s |", this.nodes,
					this.partitionReadUnits, this.rounds, this.loadsPerRound, this.floor, this.latency, this.untilLoad,
					this.afterLoad, this.failures, this.peakReadsPerSecond,
					this.throttled.isEmpty() ? "0" : this.throttled.toString());
		}

	}

}
