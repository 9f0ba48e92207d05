package io.dynamodbcache.spring.boot;

import io.dynamodbcache.spring.cache.DynamoDbCache;
import io.dynamodbcache.spring.metrics.DynamoDbCacheMetrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;

/**
 * {@link CacheMeterBinderProvider} for {@link DynamoDbCache}, picked up by Spring Boot 3.5's cache metrics.
 */
public class DynamoDbCacheMeterBinderProvider implements CacheMeterBinderProvider<DynamoDbCache> {

	@Override
	public MeterBinder getMeterBinder(DynamoDbCache cache, Iterable<Tag> tags) {
		return new DynamoDbCacheMetrics(cache, tags);
	}

}
