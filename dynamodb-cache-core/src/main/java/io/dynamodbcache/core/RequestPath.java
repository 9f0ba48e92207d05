package io.dynamodbcache.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ApiName;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The one path every DynamoDB request of a store goes through, synchronous or not: the circuit breaker,
 * the per-request overrides (the {@link RequestBudget time budget}, whatever client the application
 * supplied), the listener, and the translation of SDK (and other client) failures into
 * {@link DynamoDbCacheException}s that name the operation, the key, the cache and the table. A condition
 * that did not hold is an answer, not a failure: its {@link ConditionalCheckFailedException} passes through
 * as it is.
 * <p>
 * While the breaker is open or half-open, a request is not sent: it fails at once with a
 * {@link DynamoDbCacheException} whose cause is the breaker's {@code CallNotPermittedException}. The
 * half-open breaker's trial requests are the {@link BreakerProbe}'s, never a caller's.
 */
final class RequestPath {

	/** Marks the store's requests in the SDK user agent, so that they can be told apart in AWS logs. */
	static final ApiName API_NAME = ApiName.builder().name("dynamodb-cache").version("1").build();

	private static final Duration TABLE_CHANGE_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration TABLE_CHANGE_CALL_TIMEOUT = Duration.ofSeconds(15);

	private final String tableName;

	private final DynamoDbRequestListener listener;

	private final CircuitBreaker breaker;

	private final AwsRequestOverrideConfiguration overrides;

	private final AwsRequestOverrideConfiguration bulkOverrides;

	private final AwsRequestOverrideConfiguration tableChangeOverrides;

	private final KeyLogging keyLogging;

	RequestPath(String tableName, DynamoDbRequestListener listener, RequestBudget budget, CircuitBreaker breaker) {
		this(tableName, listener, budget, breaker, KeyLogging.FINGERPRINTS);
	}

	RequestPath(String tableName, DynamoDbRequestListener listener, RequestBudget budget, CircuitBreaker breaker,
			KeyLogging keyLogging) {
		this.keyLogging = keyLogging;
		this.tableName = tableName;
		this.listener = listener;
		this.breaker = breaker;
		this.overrides = AwsRequestOverrideConfiguration.builder()
			.addApiName(API_NAME)
			.apiCallAttemptTimeout(budget.attemptTimeout())
			.apiCallTimeout(budget.apiCallTimeout())
			.build();
		this.bulkOverrides = this.overrides.toBuilder().apiCallAttemptTimeout(budget.apiCallTimeout()).build();
		this.tableChangeOverrides = this.overrides.toBuilder()
			.apiCallAttemptTimeout(max(budget.attemptTimeout(), TABLE_CHANGE_ATTEMPT_TIMEOUT))
			.apiCallTimeout(max(budget.apiCallTimeout(), TABLE_CHANGE_CALL_TIMEOUT))
			.build();
	}

	private static Duration max(Duration first, Duration second) {
		return (first.compareTo(second) >= 0) ? first : second;
	}

	String tableName() {
		return this.tableName;
	}

	CircuitBreaker breaker() {
		return this.breaker;
	}

	/** The overrides every request of the store carries. */
	AwsRequestOverrideConfiguration overrides() {
		return this.overrides;
	}

	/**
	 * The overrides of the requests whose work grows with what they carry (Query pages of up to 1 MB,
	 * BatchGetItem of 100 keys, BatchWriteItem of 25 writes): one attempt may take the whole call timeout. The
	 * attempt timeout is for single-item requests, which DynamoDB answers in milliseconds; a bulk request
	 * that needs longer is slow, not lost, and cutting it would only send it again.
	 */
	AwsRequestOverrideConfiguration bulkOverrides() {
		return this.bulkOverrides;
	}

	/**
	 * The overrides of the requests that change the table (CreateTable, UpdateTimeToLive, UpdateTable): made
	 * once, at startup with table creation on, by DynamoDB's control plane, which takes longer than an item
	 * request; on the cache's budget they could fail and leave, say, TTL off.
	 */
	AwsRequestOverrideConfiguration tableChangeOverrides() {
		return this.tableChangeOverrides;
	}

	/**
	 * Send a request, unless the breaker is open.
	 * @param operation the DynamoDB operation, for the listener
	 * @param what what the request does ("read", "write", ...), for error messages
	 * @param target what it acts on
	 * @throws DynamoDbCacheException if it fails, or is not sent because the breaker is open
	 * @throws ConditionalCheckFailedException if its condition does not hold
	 */
	<T> T call(String operation, String what, Target target, Supplier<T> request) {
		if (!admitted()) {
			throw unavailable(what, target);
		}
		return send(operation, what, target, request);
	}

	/**
	 * Send one of the half-open breaker's trial requests ({@link BreakerProbe}), which callers' requests
	 * never are.
	 */
	<T> T trial(String operation, String what, Target target, Supplier<T> request) {
		if (!this.breaker.tryAcquirePermission()) {
			throw unavailable(what, target);
		}
		return send(operation, what, target, request);
	}

	/** Whether a caller's request may be sent: the breaker is closed (the probe owns its trials) and permits it. */
	private boolean admitted() {
		return BreakerProbe.admitsCallers(this.breaker.getState()) && this.breaker.tryAcquirePermission();
	}

	private <T> T send(String operation, String what, Target target, Supplier<T> request) {
		long start = System.nanoTime();
		try {
			T response = request.get();
			completed(operation, start, null);
			return response;
		}
		catch (RuntimeException ex) {
			// Not only SdkExceptions: a closed client throws IllegalStateException, for one.
			completed(operation, start, ex);
			if (ex instanceof ConditionalCheckFailedException) {
				throw ex;
			}
			throw translate(what, target, ex);
		}
	}

	/** {@link #call} for an asynchronous request: the future fails with what {@code call} would throw. */
	<T> CompletableFuture<T> callAsync(String operation, String what, Target target,
			Supplier<CompletableFuture<T>> request) {
		if (!admitted()) {
			return CompletableFuture.failedFuture(unavailable(what, target));
		}
		long start = System.nanoTime();
		CompletableFuture<T> response;
		try {
			response = request.get();
		}
		catch (RuntimeException ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		return response.handle((result, failure) -> {
			Throwable cause = (failure != null) ? unwrap(failure) : null;
			completed(operation, start, cause);
			if (cause == null) {
				return result;
			}
			if (cause instanceof ConditionalCheckFailedException conditionFailed) {
				throw conditionFailed;
			}
			throw translate(what, target, cause);
		});
	}

	/** A failure as a {@link DynamoDbCacheException} that names what failed. */
	DynamoDbCacheException translate(String what, Target target, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof DynamoDbCacheException storeException) {
			return storeException;
		}
		String subject = (target.cacheName() != null) ? what + " " + target.describe(this.keyLogging) + " in" : what;
		return new DynamoDbCacheException("Could not " + subject + " DynamoDB table '" + this.tableName + "': "
				+ cause.getMessage(), cause);
	}

	private DynamoDbCacheException unavailable(String what, Target target) {
		return translate(what, target,
				CallNotPermittedException.createCallNotPermittedException(this.breaker));
	}

	private void completed(String operation, long start, @Nullable Throwable failure) {
		long nanos = System.nanoTime() - start;
		if (failure == null) {
			this.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
		}
		else {
			// The breaker's own rule tells outages from answers (CircuitBreakers#isOutage).
			this.breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
		}
		try {
			this.listener.requestCompleted(operation, Duration.ofNanos(nanos), failure);
		}
		catch (RuntimeException ex) {
			// A listener must not break the request it observes.
		}
	}

	/** The failure a future's CompletionException stands for. */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * What a request acts on, as error messages name it: a key of a cache, a whole cache, or the table.
	 * @param cacheName the cache, or {@code null} for the table
	 * @param key the key, or {@code null} for the whole cache
	 */
	record Target(@Nullable String cacheName, @Nullable String key) {

		/** The table itself; error messages then name the table only. */
		static final Target TABLE = new Target(null, null);

		static Target cache(String cacheName) {
			return new Target(cacheName, null);
		}

		static Target key(String cacheName, String key) {
			return new Target(cacheName, key);
		}

		/** What a message names: the table, a cache, or a key (as {@link KeyLogging} shows it) of a cache. */
		String describe(KeyLogging keyLogging) {
			if (this.cacheName == null) {
				return "table";
			}
			return (this.key != null) ? "key " + keyLogging.describe(this.key) + " of cache '" + this.cacheName + "'"
					: "cache '" + this.cacheName + "'";
		}

		@Override
		public String toString() {
			return describe(KeyLogging.FINGERPRINTS);
		}

	}

}
