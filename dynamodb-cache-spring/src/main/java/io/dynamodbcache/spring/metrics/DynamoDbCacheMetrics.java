package io.dynamodbcache.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.dynamodbcache.spring.cache.CacheStatistics;
import io.dynamodbcache.spring.cache.DynamoDbCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer binder of one {@link DynamoDbCache}: the standard {@code cache.gets}, {@code cache.puts} and
 * {@code cache.evictions} meters from this JVM's {@link CacheStatistics}, plus {@code cache.loads} (a timer
 * of values loaded on a miss) and {@code cache.failures} (DynamoDB failures degraded or rethrown). Size is
 * not reported: counting entries costs DynamoDB queries.
 */
public class DynamoDbCacheMetrics extends CacheMeterBinder<DynamoDbCache> {

	private final CacheStatistics statistics;

	/**
	 * Create a binder.
	 * @param cache the cache
	 * @param tags tags to add to every meter
	 */
	public DynamoDbCacheMetrics(DynamoDbCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
		this.statistics = cache.getStatistics();
	}

	@Override
	protected @Nullable Long size() {
		return null;
	}

	@Override
	protected long hitCount() {
		return this.statistics.getHits();
	}

	@Override
	protected Long missCount() {
		return this.statistics.getMisses();
	}

	@Override
	protected Long evictionCount() {
		return this.statistics.getEvictions();
	}

	@Override
	protected long putCount() {
		return this.statistics.getPuts();
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		FunctionTimer.builder("cache.loads", this.statistics, CacheStatistics::getLoads,
				(statistics) -> statistics.getTotalLoadTime().toNanos(), TimeUnit.NANOSECONDS)
			.tags(getTagsWithCacheName())
			.description("Values loaded on a cache miss")
			.register(registry);
		FunctionCounter.builder("cache.failures", this.statistics, CacheStatistics::getFailures)
			.tags(getTagsWithCacheName())
			.description("DynamoDB failures the cache degraded to a miss or a dropped write")
			.register(registry);
	}

}
