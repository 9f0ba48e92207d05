package io.dynamodbcache.spring.cache;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.dynamodbcache.core.CacheCodecException;
import io.dynamodbcache.core.CacheValueTooLargeException;
import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.UnconfirmedEvictionException;
import org.jspecify.annotations.Nullable;

/**
 * What a cache does when the store fails: in strict mode the failure reaches the caller; otherwise a read
 * becomes a miss, a write is dropped, and the failure is logged at most once per interval. Every failure
 * is counted in the cache's statistics. An eviction or clear that DynamoDB did not confirm reaches the caller
 * in either mode ({@link UnconfirmedEvictionException}): returning normally would report as done an eviction
 * whose old value other nodes can still serve. A key with no stable form is handled like a failure: thrown in
 * strict mode, otherwise the call goes on without the cache, with one warning per key type.
 */
final class FailurePolicy {

	private final boolean strict;

	private final FailureLog log;

	private final DefaultCacheStatistics statistics;

	private static final int MAX_WARNED_VALUE_PROBLEMS = 1000;

	private final Set<Class<?>> warnedKeyTypes = ConcurrentHashMap.newKeySet();

	private final Set<String> warnedValueProblems = ConcurrentHashMap.newKeySet();

	FailurePolicy(String cacheName, boolean strict, DefaultCacheStatistics statistics) {
		this.strict = strict;
		this.log = new FailureLog(cacheName);
		this.statistics = statistics;
	}

	/**
	 * Call the store; if it fails, return the fallback (unless strict).
	 * @param operation what the call does, for the log ("read", "write", ...)
	 */
	<T extends @Nullable Object> T call(String operation, Supplier<T> call, T fallback) {
		try {
			return call.get();
		}
		catch (DynamoDbCacheException ex) {
			failed(operation, ex);
			return fallback;
		}
	}

	/** Call the store for its effect only; if it fails, carry on (unless strict). */
	void run(String operation, Runnable call) {
		try {
			call.run();
		}
		catch (DynamoDbCacheException ex) {
			failed(operation, ex);
		}
	}

	/**
	 * Handle a key that has no stable form: throw in strict mode; else warn once per key type, and let the
	 * caller go on without the cache.
	 */
	void unsupportedKey(CacheKeyEncoder.UnsupportedKeyException failure) {
		if (this.strict) {
			throw failure;
		}
		if (this.warnedKeyTypes.add(failure.getKeyType())) {
			this.log.unsupportedKey(failure);
		}
	}

	/**
	 * Handle a failure that arrived some other way, such as through a future: throw it in strict mode, else
	 * log it.
	 */
	void failed(String operation, Throwable failure) {
		this.statistics.failure();
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		DynamoDbCacheException storeFailure = (cause instanceof DynamoDbCacheException storeException) ? storeException
				: new DynamoDbCacheException(String.valueOf(cause.getMessage()), cause);
		if (this.strict || storeFailure instanceof UnconfirmedEvictionException) {
			throw storeFailure;
		}
		if (storeFailure instanceof CacheCodecException || storeFailure instanceof CacheValueTooLargeException) {
			// A value the store refuses is refused every time: say so once per kind (the message names the type and
			// the fix), not once per interval.
			if (this.warnedValueProblems.size() < MAX_WARNED_VALUE_PROBLEMS
					&& this.warnedValueProblems.add(valueProblem(storeFailure))) {
				this.log.valueNotCached(storeFailure);
			}
			return;
		}
		this.log.degraded(operation, storeFailure);
	}

	/** What identifies a kind of refused value: the message without the key it was refused for. */
	private static String valueProblem(DynamoDbCacheException failure) {
		if (failure instanceof CacheValueTooLargeException tooLarge) {
			return CacheValueTooLargeException.class.getName() + ":" + tooLarge.getLimit();
		}
		return String.valueOf(failure.getMessage());
	}

}
