package io.dynamodbcache.spring.autoconfigure;

import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;

/**
 * Callback to customize the auto-configured {@link DynamoDbCacheStoreBuilder}, for example to set another
 * {@link io.dynamodbcache.core.ValueCodec}.
 */
@FunctionalInterface
public interface DynamoDbCacheStoreBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(DynamoDbCacheStoreBuilder builder);

}
