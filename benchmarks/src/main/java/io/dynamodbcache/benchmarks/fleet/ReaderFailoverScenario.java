package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamodbcache.benchmarks.fleet.Fleet.Node;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;

/**
 * Scenario (b): the node that reads the stream dies mid-run (its requests stop arriving; it never gives its
 * lease up), while another node goes on writing. Measured: the time from its death until a write made after
 * it reached every surviving node, and, once writes stop and the fleet settles, the copies on surviving
 * nodes that still hold a replaced value: invalidations lost (every node re-reads every key throughout, so
 * each holds a copy that a lost invalidation would leave stale; copies live 10 minutes).
 */
final class ReaderFailoverScenario {

	private ReaderFailoverScenario() {
	}

	static Result run(DynamoDbLocal local, String table, int nodeCount, Duration duration, int keys)
			throws InterruptedException {
		try (Fleet fleet = new Fleet(local, table, DynamoDbLimits.documented())) {
			NearCacheSettings nearCache = new NearCacheSettings(10_000, Duration.ofMinutes(10));
			Node reader = fleet.start(1, nearCache).get(0);
			Fleet.await("node 0 reads the stream", Duration.ofSeconds(30), () -> reader.view().isStreamReader());
			List<Node> survivors = fleet.start(nodeCount - 1, nearCache);
			Fleet.await("every node reads the feed", Duration.ofSeconds(60),
					() -> survivors.stream().allMatch((node) -> node.view().isReadingStream()));
			Node writer = survivors.get(0);
			Map<String, Long> latest = new ConcurrentHashMap<>();
			for (int k = 0; k < keys; k++) {
				String key = "k" + k;
				Fleet.retry(() -> writer.view().put(Fleet.CACHE, key, 0L));
				latest.put("k" + k, 0L);
			}
			Fleet.retry(() -> writer.view().put(Fleet.CACHE, ProbeWatch.PROBE, 0L));
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicBoolean writing = new AtomicBoolean(true);
			List<Thread> threads = new ArrayList<>();
			threads.add(Fleet.daemon(() -> {
				long version = 0;
				while (writing.get()) {
					version++;
					for (int k = 0; k < keys && writing.get(); k++) {
						try {
							writer.view().put(Fleet.CACHE, "k" + k, version);
							latest.put("k" + k, version);
						}
						catch (RuntimeException ex) {
							// the key keeps its previous latest version
						}
						InvalidationScenario.sleep(1_000);
					}
				}
			}));
			// Every survivor reads every key about every 10 s, so that it holds a copy of each.
			Map<Node, AtomicLong> cursor = new ConcurrentHashMap<>();
			threads.addAll(Fleet.everyNode(survivors, 4, Duration.ofSeconds(1), running, (node) -> {
				long next = cursor.computeIfAbsent(node, (ignored) -> new AtomicLong()).getAndIncrement();
				for (long k = next * keys / 10; k < (next + 1) * keys / 10; k++) {
					try {
						node.view().get(Fleet.CACHE, "k" + (k % keys));
					}
					catch (RuntimeException ex) {
						// the final check counts what matters
					}
				}
			}));
			// Probe versions written after the kill, and when each survivor first saw each.
			AtomicLong probeVersion = new AtomicLong();
			ProbeWatch probe = new ProbeWatch();
			threads.addAll(probe.start(survivors, running));
			InvalidationScenario.sleep(duration.toMillis() / 3);
			fleet.killNodeZero();
			long killedAt = System.nanoTime();
			long end = killedAt + duration.toNanos() * 2 / 3;
			while (System.nanoTime() < end) {
				long version = probeVersion.incrementAndGet();
				Fleet.retry(() -> writer.view().put(Fleet.CACHE, ProbeWatch.PROBE, version));
				InvalidationScenario.sleep(1_000);
			}
			writing.set(false);
			InvalidationScenario.sleep(4_000);
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5_000);
			}
			Long firstSeenByAll = probe.seenByAllAt(1, survivors.size());
			Duration recovery = (firstSeenByAll != null) ? Duration.ofNanos(firstSeenByAll - killedAt) : null;
			long stale = 0;
			for (Node node : survivors) {
				for (Map.Entry<String, Long> key : latest.entrySet()) {
					Object value = node.view().get(Fleet.CACHE, key.getKey());
					if (value == null || ((Number) value).longValue() != key.getValue()) {
						stale++;
					}
				}
			}
			long newReaders = survivors.stream().filter((node) -> node.view().isStreamReader()).count();
			return new Result(nodeCount, recovery, stale, (long) survivors.size() * keys, newReaders,
					fleet.limits().throttled(), fleet.limits().mostReadersPerShard());
		}
	}

	record Result(int nodes, Duration recovery, long staleCopies, long copiesChecked, long streamReadersAfter,
			Map<String, Long> throttled, int mostReadersPerShard) {

		static String header() {
			return "| nodes | invalidation works again after the reader died | invalidations lost (stale copies "
					+ "after settling / copies checked) | nodes reading the stream after | throttled requests "
					+ "| most stream readers per shard |\n|---:|---:|---|---:|---|---:|";
		}

		String row() {
			return String.format("| %d | %s | %d / %d | %d | %s | %d |", this.nodes,
					(this.recovery != null) ? String.format("%.2f s", this.recovery.toMillis() / 1000.0) : "never",
					this.staleCopies, this.copiesChecked, this.streamReadersAfter,
					this.throttled.isEmpty() ? "0" : this.throttled.toString(), this.mostReadersPerShard);
		}

	}

}
