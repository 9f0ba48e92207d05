package io.dynamodbcache.spring.autoconfigure;

import io.dynamodbcache.core.DynamoDbCacheStore;

/**
 * Callback to customize the auto-configured {@link DynamoDbCacheStore.Builder}, for example to set another
 * {@link io.dynamodbcache.core.ValueCodec}.
 */
@FunctionalInterface
public interface DynamoDbCacheStoreBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(DynamoDbCacheStore.Builder builder);

}
