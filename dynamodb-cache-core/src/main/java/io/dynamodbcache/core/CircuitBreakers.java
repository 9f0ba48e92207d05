package io.dynamodbcache.core;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The circuit breaker of a store, and which failures count against it: timeouts, connection failures and
 * server errors; client errors such as a condition that does not hold or a validation error do not, since
 * DynamoDB answered them, and throttling is ignored (see {@link #isOutage}).
 */
final class CircuitBreakers {

	private CircuitBreakers() {
	}

	/**
	 * The default: open when at least half of the last 10 calls (5 at the least) failed, so that a handful of
	 * concurrent callers opens it with their first failures even after a run of successes; after 1 second
	 * open, make 2 trial calls ({@link BreakerProbe}), and close when they succeed.
	 */
	static CircuitBreakerConfig defaultConfig() {
		return CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofSeconds(1))
			.permittedNumberOfCallsInHalfOpenState(2)
			.writableStackTraceEnabled(false)
			.build();
	}

	/** The breaker of a store: the given settings, with the store's rule of what counts as a failure. */
	static CircuitBreaker forTable(String tableName, CircuitBreakerConfig config) {
		return CircuitBreaker.of("dynamodb-cache:" + tableName, CircuitBreakerConfig.from(config)
			.recordException(CircuitBreakers::isOutage)
			.ignoreException(CircuitBreakers::isThrottling)
			.build());
	}

	/**
	 * Whether a failure says that DynamoDB is out of reach or failing, rather than that it refused. Throttling
	 * is neither an outage nor a success to the breaker: DynamoDB throttles the key range of a hot partition,
	 * not the table, so opening the store's one breaker would fail every other key too; a throttled call is
	 * answered at once, retried within the budget, and the SDK's retry quota stops retrying when throttling
	 * goes on.
	 */
	static boolean isOutage(Throwable failure) {
		if (isThrottling(failure)) {
			return false;
		}
		if (failure instanceof AwsServiceException service) {
			return service.statusCode() >= 500;
		}
		// Timeouts (ApiCallTimeoutException and ApiCallAttemptTimeoutException are SdkClientExceptions), refused
		// connections, a closed client.
		return failure instanceof SdkClientException || !(failure instanceof SdkException);
	}

	/** Whether DynamoDB throttled the request (a hot partition, or capacity or account limits). */
	static boolean isThrottling(Throwable failure) {
		return failure instanceof AwsServiceException service && service.isThrottlingException();
	}

}
