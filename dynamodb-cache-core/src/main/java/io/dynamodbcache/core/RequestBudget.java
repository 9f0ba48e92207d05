package io.dynamodbcache.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The time budget of every DynamoDB request a store makes: how long one attempt may take, how long the
 * whole call may take with its retries, and how many attempts it may make. The store sets both timeouts on
 * each request, so they hold for clients that the application supplies too. The number of attempts is the
 * client's retry strategy: the clients that the Spring Boot starter and the Lucee extension build get
 * {@link #retryStrategy()}; give an application's own client the same, or rely on the call timeout, which
 * bounds all its attempts together. (A retry strategy set per request would make the SDK rebuild its
 * client configuration for every request.) The SDK enforces each timeout with a timer task; a store makes
 * the SDK's default timeout scheduler of the clients it is given remove cancelled tasks at once, so an
 * application's own client pays for the budget no more than the clients the integrations build with
 * {@link #newTimeoutScheduler()}.
 * <p>
 * A cache's answer is worth something only while it comes sooner than the origin's, so the defaults are
 * short: {@value #DEFAULT_ATTEMPT_TIMEOUT_MILLIS} ms an attempt, {@value #DEFAULT_API_CALL_TIMEOUT_MILLIS}
 * ms a call and {@value #DEFAULT_MAX_ATTEMPTS} attempts. DynamoDB answers single-item requests in single-digit
 * milliseconds within a region, so an attempt that takes 250 ms has met a network fault (a lost packet, a
 * dead connection), not a slow table, and is better retried at once: three attempts with the retry
 * strategy's backoffs (at most 25 and 50 ms) take at most 825 ms, so the third one fits into the call
 * timeout even after two attempts timed out. A call that cannot finish within a second is better given up
 * as a miss. The call timeout is 900 ms rather
 * than a second so that a read and a write of one {@code @Cacheable} call, with the SDK's own overhead in
 * giving up, stay under 2 seconds together even when DynamoDB does not answer at all (measured: about
 * 1.9 s; see the README's "Failure behaviour").
 *
 * @param attemptTimeout the longest one HTTP attempt may take
 * @param apiCallTimeout the longest a whole call may take, retries and backoff included
 * @param maxAttempts the most attempts of one call (1 means no retry)
 */
public record RequestBudget(Duration attemptTimeout, Duration apiCallTimeout, int maxAttempts) {

	/** Default attempt timeout in milliseconds. */
	public static final long DEFAULT_ATTEMPT_TIMEOUT_MILLIS = 250;

	/** Default call timeout in milliseconds. */
	public static final long DEFAULT_API_CALL_TIMEOUT_MILLIS = 900;

	/** Default number of attempts. */
	public static final int DEFAULT_MAX_ATTEMPTS = 3;

	/**
	 * The longest call timeout a budget may have: a cache call that takes longer is worth nothing, and every
	 * call holds its timeout task that long.
	 */
	public static final Duration MAX_API_CALL_TIMEOUT = Duration.ofSeconds(60);

	/** The default budget. */
	public static final RequestBudget DEFAULT = new RequestBudget(Duration.ofMillis(DEFAULT_ATTEMPT_TIMEOUT_MILLIS),
			Duration.ofMillis(DEFAULT_API_CALL_TIMEOUT_MILLIS), DEFAULT_MAX_ATTEMPTS);

	/**
	 * Return the SDK's standard retry strategy (which retries throttling, timeouts and server errors) with
	 * this budget's attempts and short, fully jittered backoffs that fit into the call timeout: 25 to 200 ms,
	 * and 50 to 400 ms after throttling.
	 * @return the retry strategy, for a client builder's override configuration
	 */
	public RetryStrategy retryStrategy() {
		return AwsRetryStrategy.standardRetryStrategy()
			.toBuilder()
			.maxAttempts(this.maxAttempts)
			.backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofMillis(200)))
			.throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofMillis(400)))
			.build();
	}

	/**
	 * Create a scheduler for the SDK's timeout tasks, for the clients an integration builds
	 * ({@code ClientOverrideConfiguration.Builder#scheduledExecutorService}). Every call with a timeout
	 * schedules a task and cancels it when the call ends; this scheduler removes cancelled tasks at once, so
	 * its queue holds about one task per call in flight, whatever the timeouts (a scheduler that keeps
	 * cancelled tasks until they are due holds every call's task for the whole call timeout). The SDK does not
	 * close a scheduler it is given: shut it down with the clients.
	 * @return a new scheduler with one daemon thread
	 */
	public static ScheduledExecutorService newTimeoutScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "dynamodb-cache-timeouts");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * Check the budget.
	 * @throws IllegalArgumentException if a timeout is not positive, the call timeout exceeds
	 * {@link #MAX_API_CALL_TIMEOUT}, the attempt timeout exceeds the call timeout, or attempts are not
	 * between 1 and 10
	 */
	public RequestBudget {
		Objects.requireNonNull(attemptTimeout, "Attempt timeout must not be null");
		Objects.requireNonNull(apiCallTimeout, "API call timeout must not be null");
		if (attemptTimeout.isNegative() || attemptTimeout.isZero() || apiCallTimeout.isNegative()
				|| apiCallTimeout.isZero()) {
			throw new IllegalArgumentException("Request timeouts must be positive, got attempt " + attemptTimeout
					+ " and call " + apiCallTimeout);
		}
		if (apiCallTimeout.compareTo(MAX_API_CALL_TIMEOUT) > 0) {
			throw new IllegalArgumentException("The API call timeout must be at most " + MAX_API_CALL_TIMEOUT
					+ ", got " + apiCallTimeout);
		}
		if (attemptTimeout.compareTo(apiCallTimeout) > 0) {
			throw new IllegalArgumentException("The attempt timeout (" + attemptTimeout
					+ ") must not exceed the API call timeout (" + apiCallTimeout + ")");
		}
		if (maxAttempts < 1 || maxAttempts > 10) {
			throw new IllegalArgumentException("Max attempts must be between 1 and 10, got " + maxAttempts);
		}
	}

}
