package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.dynamodbcache.benchmarks.fleet.Fleet.Node;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;

/**
 * Scenario (a): writers on a few nodes, readers on all, random keys, every node with a near cache.
 * <ul>
 * <li>Invalidation lag: a probe key is written every {@code probeEvery} on average, and watched on every
 * node ({@link ProbeWatch}). The lag of a write is the time until the last node saw it.</li>
 * <li>Reads of the random keys check that no node reads a version older than one it read before (monotonic
 * reads) and count the reads that returned a value replaced more than 2 s earlier.</li>
 * </ul>
 */
final class InvalidationScenario {

	private InvalidationScenario() {
	}

	/**
	 * @param writesPerSecond random-key writes per second, over all writers
	 * @param readEvery how often each node reads a random key
	 * @param probeEvery how often the probe key is written, on average
	 */
	static Result run(DynamoDbLocal local, String table, int nodeCount, Duration duration, int writers,
			double writesPerSecond, int keys, Duration readEvery, Duration probeEvery) throws InterruptedException {
		try (Fleet fleet = new Fleet(local, table, DynamoDbLimits.documented())) {
			NearCacheSettings nearCache = new NearCacheSettings(10_000, Duration.ofMinutes(10));
			List<Node> nodes = fleet.start(nodeCount, nearCache);
			Fleet.await("every node reads the invalidation feed", Duration.ofSeconds(60),
					() -> nodes.stream().allMatch((node) -> node.view().isReadingStream()));
			Node probeWriter = nodes.get(nodes.size() - 1);
			Fleet.retry(() -> probeWriter.view().put(Fleet.CACHE, ProbeWatch.PROBE, 0L));
			fleet.resetCounts();

			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> threads = new ArrayList<>();
			// The versions of each key, and when each was replaced (the end of the next write).
			Map<String, Map<Long, Long>> replacedAt = new ConcurrentHashMap<>();
			LongAdder reads = new LongAdder();
			LongAdder monotonicViolations = new LongAdder();
			LongAdder staleOverTwoSeconds = new LongAdder();
			LongAdder readFailures = new LongAdder();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				Node node = nodes.get(1 + w % (nodes.size() - 1));
				threads.add(Fleet.daemon(() -> {
					Map<String, Long> versions = new java.util.HashMap<>();
					long pause = (long) (1000L * writers / writesPerSecond);
					while (running.get()) {
						// Each writer has its own keys, so that each key's versions are written in order.
						int k = ThreadLocalRandom.current().nextInt(keys / writers) * writers + writer;
						String key = "k" + k;
						long version = versions.merge(key, 1L, Long::sum);
						try {
							node.view().put(Fleet.CACHE, key, version);
							replacedAt.computeIfAbsent(key, (ignored) -> new ConcurrentHashMap<>())
								.put(version - 1, System.nanoTime());
						}
						catch (RuntimeException ex) {
							versions.merge(key, -1L, Long::sum);
						}
						sleep(pause);
					}
				}));
			}
			Map<Node, Map<String, Long>> seenByNode = new ConcurrentHashMap<>();
			threads.addAll(Fleet.everyNode(nodes, 4, readEvery, running, (node) -> {
				Map<String, Long> seen = seenByNode.computeIfAbsent(node, (ignored) -> new java.util.HashMap<>());
				String key = "k" + ThreadLocalRandom.current().nextInt(keys);
				try {
					Object value = node.view().get(Fleet.CACHE, key);
					long now = System.nanoTime();
					long version = (value != null) ? ((Number) value).longValue() : 0;
					reads.increment();
					Long before = seen.put(key, version);
					if (before != null && version < before) {
						monotonicViolations.increment();
					}
					Map<Long, Long> replaced = replacedAt.get(key);
					Long when = (replaced != null) ? replaced.get(version) : null;
					if (when != null && now - when > Duration.ofSeconds(2).toNanos()) {
						staleOverTwoSeconds.increment();
					}
				}
				catch (RuntimeException ex) {
					readFailures.increment();
				}
			}));
			AtomicLong probeVersion = new AtomicLong();
			Map<Long, Long> probeWrittenAt = new ConcurrentHashMap<>();
			ProbeWatch probe = new ProbeWatch();
			threads.addAll(probe.start(nodes, running));
			long start = System.nanoTime();
			while (System.nanoTime() - start < duration.toNanos()) {
				sleep(ThreadLocalRandom.current().nextLong(probeEvery.toMillis() / 2, probeEvery.toMillis() * 3 / 2));
				long version = probeVersion.incrementAndGet();
				Fleet.retry(() -> probeWriter.view().put(Fleet.CACHE, ProbeWatch.PROBE, version));
				probeWrittenAt.put(version, System.nanoTime());
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			// Let the last probes arrive.
			sleep(6_000);
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5_000);
			}
			double elapsed = (System.nanoTime() - start) / 1e9;
			List<Duration> lagToLastNode = new ArrayList<>();
			long unseen = 0;
			for (Map.Entry<Long, Long> written : probeWrittenAt.entrySet()) {
				Long seenByAll = probe.seenByAllAt(written.getKey(), nodes.size());
				if (seenByAll == null) {
					unseen++;
					continue;
				}
				lagToLastNode.add(Duration.ofNanos(seenByAll - written.getValue()));
			}
			long feedQueries = fleet.requests("Query");
			return new Result(nodeCount, seconds, writers, writesPerSecond, Percentiles.of(lagToLastNode), unseen,
					reads.sum(), monotonicViolations.sum(), staleOverTwoSeconds.sum(), readFailures.sum(),
					fleet.limits().throttled(), fleet.limits().mostReadersPerShard(),
					feedQueries / elapsed / nodeCount, fleet.requests(),
					nodes.stream().filter((node) -> node.view().isStreamReader()).count());
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Result(int nodes, double seconds, int writers, double writesPerSecond, Percentiles lagToLastNode,
			long probesNotSeenByEveryNode, long reads, long monotonicViolations, long staleOverTwoSeconds,
			long readFailures, Map<String, Long> throttled, int mostReadersPerShard, double queriesPerNodePerSecond,
			Map<String, Long> requests, long streamReaders) {

		static String header() {
			return "| nodes | s | writes/s | invalidation lag to the last node p50 / p99 / max | probes some node "
					+ "never saw | reads | monotonic-read violations | reads of a value replaced > 2 s earlier "
					+ "| throttled requests | most stream readers per shard | nodes reading the stream | "
					+ "feed Queries per node per s |\n|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|";
		}

		String row() {
			return String.format("| %d | %.0f | %.1f | %s | %d | %d | %d | %d | %s | %d | %d | %.2f |", this.nodes,
					this.seconds, this.writesPerSecond, this.lagToLastNode, this.probesNotSeenByEveryNode, this.reads,
					this.monotonicViolations, this.staleOverTwoSeconds,
					this.throttled.isEmpty() ? "0" : this.throttled.toString(), this.mostReadersPerShard,
					this.streamReaders, this.queriesPerNodePerSecond);
		}

	}

}
