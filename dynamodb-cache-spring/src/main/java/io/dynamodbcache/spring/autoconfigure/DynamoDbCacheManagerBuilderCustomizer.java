package io.dynamodbcache.spring.autoconfigure;

import io.dynamodbcache.spring.cache.DynamoDbCacheManager;

/**
 * Callback to customize the auto-configured {@link DynamoDbCacheManager.Builder} before the manager is
 * built, for example to give a cache a {@link io.dynamodbcache.spring.cache.TtlFunction}.
 */
@FunctionalInterface
public interface DynamoDbCacheManagerBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(DynamoDbCacheManager.Builder builder);

}
