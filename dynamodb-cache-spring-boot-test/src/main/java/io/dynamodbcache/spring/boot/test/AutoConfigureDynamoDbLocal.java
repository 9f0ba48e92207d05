package io.dynamodbcache.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheConnectionDetails;

/**
 * Points the DynamoDB cache of a {@code @SpringBootTest} at a DynamoDB Local that runs inside the test JVM (one
 * server per JVM, on a free port, in memory; no Docker). It registers a {@link DynamoDbCacheConnectionDetails}
 * bean, which replaces {@code dynamodb.cache.endpoint}, {@code region} and {@code credentials.*}; every other
 * {@code dynamodb.cache.*} property still applies. Test contexts that use it share one server, and so one cache
 * table: give tests that must not see each other's entries their own {@code dynamodb.cache.table-name} or
 * {@code key-prefix}.
 * <p>
 * Works on Spring Boot 3.5 and 4.x. Not used when the application defines its own {@code DynamoDbClient} bean.
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;AutoConfigureDynamoDbLocal
 * class CatalogCachingTests { ... }
 * </pre>
 *
 * @since 0.2.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureDynamoDbLocal {

}
