/**
 * The CFML functions the extension adds ({@code DynamoDBCacheIncrement}, {@code DynamoDBCacheAdd},
 * {@code DynamoDBCacheDeleteIfValue}): atomic operations on a DynamoDB cache connection.
 */
@NullMarked
package io.dynamodbcache.lucee.functions;

import org.jspecify.annotations.NullMarked;
