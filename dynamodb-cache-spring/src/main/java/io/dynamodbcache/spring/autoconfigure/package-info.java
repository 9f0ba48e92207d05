/**
 * Spring Boot auto-configuration of the DynamoDB cache from {@code dynamodb.cache.*} properties.
 */
@NullMarked
package io.dynamodbcache.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
