package io.dynamodbcache.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Told of every request the store sends to DynamoDB, when it completes: for metrics, request counting and
 * tests. Called on the thread that completed the request; implementations must be fast, thread-safe and
 * must not throw.
 *
 * @see DynamoDbCacheStoreBuilder#requestListener(DynamoDbRequestListener)
 */
@FunctionalInterface
public interface DynamoDbRequestListener {

	/**
	 * A request completed.
	 * @param operation the DynamoDB API operation, such as {@code GetItem}, {@code PutItem},
	 * {@code UpdateItem}, {@code DeleteItem}, {@code Query}, {@code BatchGetItem}, {@code BatchWriteItem},
	 * {@code DescribeTable}
	 * @param duration how long it took, retries by the SDK included
	 * @param failure what it failed with (a condition that did not hold is a failure too), or {@code null}
	 */
	void requestCompleted(String operation, Duration duration, @Nullable Throwable failure);

	/**
	 * A listener that does nothing.
	 * @return the listener
	 */
	static DynamoDbRequestListener none() {
		return (operation, duration, failure) -> {
		};
	}

}
