/**
 * Actuator health of the DynamoDB cache table.
 */
@NullMarked
package io.dynamodbcache.spring.health;

import org.jspecify.annotations.NullMarked;
