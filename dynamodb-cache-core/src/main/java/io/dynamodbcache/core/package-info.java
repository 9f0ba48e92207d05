/**
 * A TTL-aware key-value store on Amazon DynamoDB, the base of the Spring and Lucee caches.
 * <p>
 * Start with {@link io.dynamodbcache.core.DynamoDbCacheStore#builder(software.amazon.awssdk.services.dynamodb.DynamoDbClient)}.
 */
@NullMarked
package io.dynamodbcache.core;

import org.jspecify.annotations.NullMarked;
