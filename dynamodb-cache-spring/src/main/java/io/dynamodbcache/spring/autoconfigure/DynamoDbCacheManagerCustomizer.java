package io.dynamodbcache.spring.autoconfigure;

import io.dynamodbcache.spring.cache.DynamoDbCacheManager;

/**
 * Callback to customize the auto-configured {@link DynamoDbCacheManager} once it is built, before it creates
 * its caches. The starters apply Spring Boot's own {@code CacheManagerCustomizer} beans this way, on Boot 3.5
 * and 4.x alike.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DynamoDbCacheManagerCustomizer {

	/**
	 * Customize the cache manager.
	 * @param cacheManager the cache manager
	 */
	void customize(DynamoDbCacheManager cacheManager);

}
