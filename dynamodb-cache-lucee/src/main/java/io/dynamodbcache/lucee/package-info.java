/**
 * Lucee (CFML) cache extension on the DynamoDB cache store: register
 * {@link io.dynamodbcache.lucee.DynamoDbLuceeCache} as the class of a cache connection.
 */
@NullMarked
package io.dynamodbcache.lucee;

import org.jspecify.annotations.NullMarked;
