/**
 * What the DynamoDB cache auto-configuration adds on Spring Boot 4.x: Boot's cache manager customizers, cache
 * metrics and health.
 */
@NullMarked
package io.dynamodbcache.spring.boot;

import org.jspecify.annotations.NullMarked;
