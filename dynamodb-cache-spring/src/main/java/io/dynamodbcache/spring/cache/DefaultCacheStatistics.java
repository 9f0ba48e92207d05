package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free counters behind {@link CacheStatistics}.
 */
final class DefaultCacheStatistics implements CacheStatistics {

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private final LongAdder loads = new LongAdder();

	private final LongAdder loadNanos = new LongAdder();

	private final LongAdder failures = new LongAdder();

	void hit() {
		this.hits.increment();
	}

	void miss() {
		this.misses.increment();
	}

	void put() {
		this.puts.increment();
	}

	void eviction() {
		this.evictions.increment();
	}

	void load(long nanos) {
		this.loads.increment();
		this.loadNanos.add(nanos);
	}

	void failure() {
		this.failures.increment();
	}

	@Override
	public long getHits() {
		return this.hits.sum();
	}

	@Override
	public long getMisses() {
		return this.misses.sum();
	}

	@Override
	public long getPuts() {
		return this.puts.sum();
	}

	@Override
	public long getEvictions() {
		return this.evictions.sum();
	}

	@Override
	public long getLoads() {
		return this.loads.sum();
	}

	@Override
	public Duration getTotalLoadTime() {
		return Duration.ofNanos(this.loadNanos.sum());
	}

	@Override
	public long getFailures() {
		return this.failures.sum();
	}

	@Override
	public String toString() {
		return "CacheStatistics[hits=" + getHits() + ", misses=" + getMisses() + ", puts=" + getPuts()
				+ ", evictions=" + getEvictions() + ", loads=" + getLoads() + ", failures=" + getFailures() + "]";
	}

}
