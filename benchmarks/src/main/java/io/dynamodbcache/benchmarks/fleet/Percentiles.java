package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** p50, p99 and max of a list of durations; all zero for none. */
record Percentiles(int count, Duration p50, Duration p99, Duration max) {

	static Percentiles of(List<Duration> durations) {
		if (durations.isEmpty()) {
			return new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
		}
		List<Duration> sorted = new ArrayList<>(durations);
		Collections.sort(sorted);
		return new Percentiles(sorted.size(), sorted.get(sorted.size() / 2),
				sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), sorted.get(sorted.size() - 1));
	}

	/** In milliseconds with a fraction, for latencies far under a second. */
	String toMillisString() {
		return String.format("%.3f / %.3f / %.3f ms", this.p50.toNanos() / 1e6, this.p99.toNanos() / 1e6,
				this.max.toNanos() / 1e6);
	}

	@Override
	public String toString() {
		return String.format("%.2f / %.2f / %.2f s", this.p50.toMillis() / 1000.0, this.p99.toMillis() / 1000.0,
				this.max.toMillis() / 1000.0);
	}

}
