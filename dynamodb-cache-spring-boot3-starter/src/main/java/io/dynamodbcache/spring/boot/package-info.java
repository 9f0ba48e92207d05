/**
 * What the DynamoDB cache auto-configuration adds on Spring Boot 3.5: Boot's cache manager customizers, cache
 * metrics and health.
 */
@NullMarked
package io.dynamodbcache.spring.boot;

import org.jspecify.annotations.NullMarked;
