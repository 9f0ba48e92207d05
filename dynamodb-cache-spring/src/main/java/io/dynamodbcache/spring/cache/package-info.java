/**
 * Spring's cache abstraction on Amazon DynamoDB: {@link io.dynamodbcache.spring.cache.DynamoDbCacheManager}
 * and {@link io.dynamodbcache.spring.cache.DynamoDbCache} on a
 * {@link io.dynamodbcache.core.DynamoDbCacheStore}.
 */
@NullMarked
package io.dynamodbcache.spring.cache;

import org.jspecify.annotations.NullMarked;
