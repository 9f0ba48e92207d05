/**
 * Micrometer metrics of {@link io.dynamodbcache.spring.cache.DynamoDbCache}s.
 */
@NullMarked
package io.dynamodbcache.spring.metrics;

import org.jspecify.annotations.NullMarked;
