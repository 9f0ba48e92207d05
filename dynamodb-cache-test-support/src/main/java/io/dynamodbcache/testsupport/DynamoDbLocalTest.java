package io.dynamodbcache.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class that talks to the JVM's shared in-process {@link DynamoDbLocal}.
 * <p>
 * Test constructors, lifecycle and test methods can declare parameters of type {@link DynamoDbLocal},
 * {@link software.amazon.awssdk.services.dynamodb.DynamoDbClient DynamoDbClient},
 * {@link software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient DynamoDbAsyncClient} and
 * {@link UniqueTableName}: a table name unique to the test class.
 *
 * @see DynamoDbLocalExtension
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DynamoDbLocalExtension.class)
public @interface DynamoDbLocalTest {

}
