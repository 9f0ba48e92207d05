package io.dynamodbcache.spring.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad value of a {@code dynamodb.cache.*} property fails startup when Boot binds it, with the property,
 * its value and the reason, as Boot's failure report prints them (runs on both Boot generations).
 */
class PropertiesValidationTests {

	static Stream<Arguments> badValues() {
		return Stream.of(Arguments.of("dynamodb.cache.shards", "0", "between 1 and 1024"),
				Arguments.of("dynamodb.cache.shards", "2000", "between 1 and 1024"),
				Arguments.of("dynamodb.cache.table-name", "my table!", "DynamoDB table name"),
				Arguments.of("dynamodb.cache.time-to-live", "-5s", "must not be negative"),
				Arguments.of("dynamodb.cache.time-to-idle", "-1m", "must not be negative"),
				Arguments.of("dynamodb.cache.load-lease", "0s", "must be positive"),
				Arguments.of("dynamodb.cache.max-value-size", "0", "between 1KB and 2GB"),
				Arguments.of("dynamodb.cache.compression-threshold", "-1B", "must not be negative"),
				Arguments.of("dynamodb.cache.request.api-call-timeout", "0", "must be positive"),
				Arguments.of("dynamodb.cache.request.api-call-timeout", "1h", "at most 60s"),
				Arguments.of("dynamodb.cache.request.attempt-timeout", "-1s", "must be positive"),
				Arguments.of("dynamodb.cache.request.max-attempts", "0", "between 1 and 10"),
				Arguments.of("dynamodb.cache.near-cache.maximum-size", "0", "at least 1"),
				Arguments.of("dynamodb.cache.near-cache.time-to-live", "0s", "must be positive"),
				Arguments.of("dynamodb.cache.near-cache.stream-poll-interval", "10ms", "between 50ms and 1m"),
				Arguments.of("dynamodb.cache.caches.books.time-to-live", "-5s", "must not be negative"),
				Arguments.of("dynamodb.cache.caches.books.load-lease", "-1s", "must be positive"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badValues")
	void aBadValueFailsStartupNamingThePropertyAndTheValue(String property, String value, String reason) {
		new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.region=eu-west-1", property + "=" + value)
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof BindValidationException)) {
					failure = failure.getCause();
				}
				assertThat(failure).as("a BindValidationException in the chain").isNotNull();
				ValidationErrors errors = ((BindValidationException) failure).getValidationErrors();
				List<FieldError> fieldErrors = errors.getAllErrors()
					.stream()
					.filter(FieldError.class::isInstance)
					.map(FieldError.class::cast)
					.toList();
				assertThat(fieldErrors).singleElement()
					.satisfies((error) -> assertThat(error.getDefaultMessage()).contains(reason));
				// What Boot's failure analyzer prints: the bound property whose name matches the field, and its value.
				assertThat(errors.getBoundProperties()).extracting(ConfigurationProperty::getName)
					.extracting(Object::toString)
					.contains(property);
				assertThat(errors.getBoundProperties()).filteredOn((bound) -> bound.getName().toString().equals(property))
					.extracting((bound) -> String.valueOf(bound.getValue()))
					.containsExactly(value);
			});
	}

}
