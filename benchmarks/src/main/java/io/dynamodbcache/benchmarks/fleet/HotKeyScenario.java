package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.dynamodbcache.benchmarks.fleet.Fleet.Node;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.jspecify.annotations.Nullable;

/**
 * Scenario (d): one hot key read 50,000 times a second across the fleet, with and without the near cache,
 * and on the same nodes a cold key of another partition read a few times a second. The limits model is
 * scaled down with the demand (scale s: s × 3,000 read units per partition for s × 50,000 reads a second),
 * so that the ratio of demand to limit is the real one. Measured: hot reads that failed, throttles, hit
 * latency, the hot partition's read units, requests per node per second for the hot key, and the failures
 * of the cold key's reads.
 */
final class HotKeyScenario {

	static final int FLEET_READS_PER_SECOND = 50_000;

	private HotKeyScenario() {
	}

	static Result run(DynamoDbLocal local, String table, int nodeCount, Duration duration, double scale,
			@Nullable NearCacheSettings nearCache) throws InterruptedException {
		DynamoDbLimits limits = DynamoDbLimits.builder().scale(scale).build();
		try (Fleet fleet = new Fleet(local, table, limits)) {
			List<Node> nodes = fleet.start(nodeCount, nearCache);
			if (nearCache != null) {
				Fleet.await("every node reads the feed", Duration.ofSeconds(60),
						() -> nodes.stream().allMatch((node) -> node.view().isReadingStream()));
			}
			Fleet.retry(() -> nodes.get(0).view().put(Fleet.CACHE, "hot", "value"));
			Fleet.retry(() -> nodes.get(0).view().put(Fleet.CACHE, "cold", "value"));
			fleet.resetCounts();
			double perNodePerSecond = FLEET_READS_PER_SECOND * scale / nodeCount;
			AtomicBoolean running = new AtomicBoolean(true);
			LongAdder hotReads = new LongAdder();
			LongAdder hotFailures = new LongAdder();
			LongAdder coldReads = new LongAdder();
			LongAdder coldFailures = new LongAdder();
			List<Duration> hotLatencies = new CopyOnWriteArrayList<>();
			List<Thread> threads = new ArrayList<>();
			// Each of 8 threads reads the hot key through its nodes in turn, at the fleet's rate.
			int readers = 8;
			List<Node> all = nodes;
			for (int t = 0; t < readers; t++) {
				int first = t;
				threads.add(Fleet.daemon(() -> {
					long pause = (long) (1e9 * readers / (perNodePerSecond * nodeCount));
					long next = System.nanoTime();
					int i = first;
					List<Duration> latencies = new ArrayList<>();
					while (running.get()) {
						Node node = all.get(i % all.size());
						i += readers;
						long begin = System.nanoTime();
						try {
							node.view().get(Fleet.CACHE, "hot");
							hotReads.increment();
						}
						catch (RuntimeException ex) {
							hotFailures.increment();
						}
						latencies.add(Duration.ofNanos(System.nanoTime() - begin));
						next += pause;
						long wait = next - System.nanoTime();
						if (wait > 1_000_000) {
							InvalidationScenario.sleep(wait / 1_000_000);
						}
					}
					hotLatencies.addAll(latencies);
				}));
			}
			threads.addAll(Fleet.everyNode(nodes, 2, Duration.ofMillis(500), running, (node) -> {
				try {
					node.store().get(Fleet.CACHE, "cold");
					coldReads.increment();
				}
				catch (RuntimeException ex) {
					coldFailures.increment();
				}
			}));
			InvalidationScenario.sleep(duration.toMillis());
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5_000);
			}
			double seconds = duration.toNanos() / 1e9;
			long hotGets = fleet.requests("GetItem") + fleet.requests("GetItem (failed)") - coldReads.sum()
					- coldFailures.sum();
			return new Result(nodeCount, nearCache != null, scale, hotReads.sum() + hotFailures.sum(),
					hotFailures.sum(), Percentiles.of(hotLatencies), limits.throttled("GetItem"),
					hotGets / seconds / nodeCount, coldReads.sum() + coldFailures.sum(), coldFailures.sum(),
					limits.throttled());
		}
	}

	record Result(int nodes, boolean nearCache, double scale, long hotReads, long hotFailures,
			Percentiles hotLatency, long throttledGets, double hotRequestsPerNodePerSecond, long coldReads,
			long coldFailures, Map<String, Long> throttled) {

		static String header() {
			return "| nodes | near cache | hot reads (fleet rate scaled ×s) | hot reads failed | hot read latency "
					+ "p50 / p99 / max | throttled GetItem | hot-key requests per node per s | cold-key reads failed "
					+ "|\n|---:|---|---:|---:|---|---:|---:|---:|";
		}

		String row() {
			return String.format("| %d | %s | %d (s = %s) | %.2f %% | %s | %d | %.2f | %d of %d |", this.nodes,
					this.nearCache ? "on" : "off", this.hotReads, this.scale,
					100.0 * this.hotFailures / Math.max(1, this.hotReads), this.hotLatency.toMillisString(),
					this.throttledGets, this.hotRequestsPerNodePerSecond, this.coldFailures, this.coldReads);
		}

	}

}
