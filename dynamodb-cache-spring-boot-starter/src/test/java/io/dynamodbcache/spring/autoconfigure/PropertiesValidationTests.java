package io.dynamodbcache.spring.autoconfigure;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad value of a {@code dynamodb.cache.*} property fails startup, and the report Boot prints (its failure
 * analysis, as the application's log shows it) names the property as the user wrote it (kebab case, with the
 * cache's name for per-cache settings), the value as written, where it was set, and the reason (runs on both
 * Boot generations).
 */
class PropertiesValidationTests {

	static Stream<Arguments> badValues() {
		return Stream.of(Arguments.of("dynamodb.cache.shards", "0", "between 1 and 1024"),
				Arguments.of("dynamodb.cache.shards", "2000", "between 1 and 1024"),
				Arguments.of("dynamodb.cache.shards", "-1", "between 1 and 1024"),
				Arguments.of("dynamodb.cache.shards", "abc", "failed to convert"),
				Arguments.of("dynamodb.cache.table-name", "my table!", "DynamoDB table name"),
				Arguments.of("dynamodb.cache.time-to-live", "-5s", "must not be negative"),
				Arguments.of("dynamodb.cache.time-to-idle", "-1m", "must not be negative"),
				Arguments.of("dynamodb.cache.load-lease", "0s", "must be positive"),
				Arguments.of("dynamodb.cache.close-timeout", "-1s", "must not be negative"),
				Arguments.of("dynamodb.cache.max-value-size", "0", "between 1KB and 2GB"),
				Arguments.of("dynamodb.cache.compression-threshold", "-1B", "must not be negative"),
				Arguments.of("dynamodb.cache.codec", "gson", "failed to convert"),
				Arguments.of("dynamodb.cache.request.api-call-timeout", "0", "between 1ms and 1m"),
				Arguments.of("dynamodb.cache.request.api-call-timeout", "1h", "between 1ms and 1m"),
				Arguments.of("dynamodb.cache.request.attempt-timeout", "-1s", "must be positive"),
				Arguments.of("dynamodb.cache.request.max-attempts", "0", "between 1 and 10"),
				Arguments.of("dynamodb.cache.request.max-attempts", "11", "between 1 and 10"),
				Arguments.of("dynamodb.cache.circuit-breaker.failure-rate-threshold", "150", "at most 100"),
				Arguments.of("dynamodb.cache.circuit-breaker.sliding-window-size", "0", "at least 1"),
				Arguments.of("dynamodb.cache.circuit-breaker.minimum-number-of-calls", "-3", "at least 1"),
				Arguments.of("dynamodb.cache.circuit-breaker.wait-duration-in-open-state", "0s", "must be positive"),
				Arguments.of("dynamodb.cache.circuit-breaker.permitted-number-of-calls-in-half-open-state", "0",
						"at least 1"),
				Arguments.of("dynamodb.cache.near-cache.maximum-size", "0", "at least 1"),
				Arguments.of("dynamodb.cache.near-cache.time-to-live", "0s", "must be positive"),
				Arguments.of("dynamodb.cache.near-cache.stream-poll-interval", "10ms", "between 50ms and 1m"),
				Arguments.of("dynamodb.cache.caches.orders.time-to-live", "-5s", "must not be negative"),
				Arguments.of("dynamodb.cache.caches.orders.time-to-idle", "-30m", "must not be negative"),
				Arguments.of("dynamodb.cache.caches.orders.load-lease", "-1s", "must be positive"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badValues")
	void aBadValueFailsStartupNamingThePropertyAndTheValueAsWritten(String property, String value, String reason) {
		run(property + "=" + value, null, (report) -> assertThat(report).contains("Property: " + property + "\n")
			.contains("Value: \"" + value + "\"")
			.contains("Origin: \"" + property + "\" from property source")
			.containsPattern("Reason: [^\n]*" + reason));
	}

	@Test
	void anAttemptTimeoutAboveTheCallTimeoutNamesBothPropertiesAndValues() {
		run("dynamodb.cache.request.attempt-timeout=2s", "dynamodb.cache.request.api-call-timeout=1s",
				(report) -> assertThat(report).contains("Reason: dynamodb.cache.request.attempt-timeout (2s) must not "
						+ "exceed dynamodb.cache.request.api-call-timeout (1s)"));
	}

	private static void run(String property, @Nullable String another, Consumer<String> report) {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.region=eu-west-1", property);
		if (another != null) {
			runner = runner.withPropertyValues(another);
		}
		runner.run((context) -> {
			assertThat(context).hasFailed();
			report.accept(failureReport(context.getStartupFailure()).replace("\r\n", "\n"));
		});
	}

	/** What Boot prints for a failed startup: the first of its failure analyzers that analyzes the failure. */
	private static String failureReport(Throwable failure) {
		for (FailureAnalyzer analyzer : SpringFactoriesLoader
			.forDefaultResourceLocation(PropertiesValidationTests.class.getClassLoader())
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, new StandardEnvironment()),
					FailureHandler.handleMessage((message, ex) -> {
					}))) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis.getDescription();
			}
		}
		throw new AssertionError("No failure analyzer analyzed the failure", failure);
	}

}
