/**
 * Test support for applications that use the DynamoDB cache: {@link AutoConfigureDynamoDbLocal} and a
 * Testcontainers {@code @ServiceConnection} for {@code amazon/dynamodb-local}.
 */
@NullMarked
package io.dynamodbcache.spring.boot.test;

import org.jspecify.annotations.NullMarked;
