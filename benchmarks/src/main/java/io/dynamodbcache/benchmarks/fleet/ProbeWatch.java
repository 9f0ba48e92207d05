package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dynamodbcache.benchmarks.fleet.Fleet.Node;

/**
 * The probe of the invalidation scenarios: every node reads the probe key every 10 ms (near-cache hits until
 * its copy is dropped) and notes, for each version it sees, the start of the first read that saw it, after
 * which the node held no copy of an older value (a copy would have answered).
 */
final class ProbeWatch {

	static final String PROBE = "probe";

	private final Map<Long, List<Long>> seenAt = new ConcurrentHashMap<>();

	private final Map<Node, Long> lastSeen = new ConcurrentHashMap<>();

	/** Start watching; the threads end when {@code running} turns false. */
	List<Thread> start(List<Node> nodes, AtomicBoolean running) {
		return Fleet.everyNode(nodes, 4, Duration.ofMillis(10), running, (node) -> {
			long last = this.lastSeen.getOrDefault(node, 0L);
			long begin = System.nanoTime();
			try {
				Object value = node.view().get(Fleet.CACHE, PROBE);
				long version = (value != null) ? ((Number) value).longValue() : 0;
				for (long v = last + 1; v <= version; v++) {
					this.seenAt.computeIfAbsent(v, (ignored) -> new CopyOnWriteArrayList<>()).add(begin);
				}
				this.lastSeen.put(node, Math.max(last, version));
			}
			catch (RuntimeException ex) {
				// a failed read sees nothing
			}
		});
	}

	/**
	 * When the last of {@code nodes} nodes first saw a version ({@link System#nanoTime()}), or {@code null} if
	 * some never did.
	 */
	Long seenByAllAt(long version, int nodes) {
		List<Long> seen = this.seenAt.getOrDefault(version, List.of());
		return (seen.size() < nodes) ? null : Collections.max(seen);
	}

}
