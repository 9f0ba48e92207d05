package io.dynamodbcache.spring.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamodbcache.core.NearCacheListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Micrometer meters of the near caches of a store, as its {@link NearCacheListener}:
 * {@code dynamodb.cache.near.gets} (by cache, {@code result} hit or miss),
 * {@code dynamodb.cache.near.invalidations} (by cache, {@code source} local or stream) and
 * {@code dynamodb.cache.near.invalidation.lag} (a timer with its 0.5 and 0.99 percentiles, by table): the time
 * from one of this JVM's writes to its arrival on the table's stream, which is how long other JVMs may serve
 * the value it replaced. Events before the binder is bound to a registry are not counted.
 */
public class DynamoDbNearCacheMetrics implements NearCacheListener, MeterBinder {

	private final String tableName;

	private volatile @Nullable MeterRegistry registry;

	private volatile @Nullable Timer lag;

	private final Map<String, CacheMeters> meters = new ConcurrentHashMap<>();

	/**
	 * Create a binder.
	 * @param tableName the table of the store, for the lag timer's tag
	 */
	public DynamoDbNearCacheMetrics(String tableName) {
		Assert.hasText(tableName, "Table name must not be empty");
		this.tableName = tableName;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.lag = Timer.builder("dynamodb.cache.near.invalidation.lag")
			.tag("table", this.tableName)
			.description("Time from a write of this JVM to its arrival on the table's stream")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
		this.meters.clear();
		this.registry = registry;
	}

	@Override
	public void hit(String cacheName) {
		CacheMeters cache = meters(cacheName);
		if (cache != null) {
			cache.hits.increment();
		}
	}

	@Override
	public void miss(String cacheName) {
		CacheMeters cache = meters(cacheName);
		if (cache != null) {
			cache.misses.increment();
		}
	}

	@Override
	public void invalidated(String cacheName, boolean fromStream) {
		CacheMeters cache = meters(cacheName);
		if (cache != null) {
			(fromStream ? cache.streamInvalidations : cache.localInvalidations).increment();
		}
	}

	@Override
	public void invalidationLag(Duration lag) {
		Timer timer = this.lag;
		if (timer != null) {
			timer.record(lag);
		}
	}

	private @Nullable CacheMeters meters(String cacheName) {
		MeterRegistry bound = this.registry;
		return (bound != null) ? this.meters.computeIfAbsent(cacheName, (name) -> new CacheMeters(bound, name)) : null;
	}

	/** The counters of one cache, registered on its first event. */
	private static final class CacheMeters {

		private final Counter hits;

		private final Counter misses;

		private final Counter localInvalidations;

		private final Counter streamInvalidations;

		CacheMeters(MeterRegistry registry, String cacheName) {
			this.hits = gets(registry, cacheName, "hit");
			this.misses = gets(registry, cacheName, "miss");
			this.localInvalidations = invalidations(registry, cacheName, "local");
			this.streamInvalidations = invalidations(registry, cacheName, "stream");
		}

		private static Counter gets(MeterRegistry registry, String cacheName, String result) {
			return Counter.builder("dynamodb.cache.near.gets")
				.tags("cache", cacheName, "result", result)
				.description("Reads of the near cache")
				.register(registry);
		}

		private static Counter invalidations(MeterRegistry registry, String cacheName, String source) {
			return Counter.builder("dynamodb.cache.near.invalidations")
				.tags("cache", cacheName, "source", source)
				.description("Near cache copies dropped because their key changed")
				.register(registry);
		}

	}

}
