package io.dynamodbcache.core;

import java.time.Duration;

/**
 * Told what the near caches of a store do, for metrics ({@link DynamoDbCacheStoreBuilder#nearCacheListener}).
 * Called on the thread that reads or invalidates: implementations must be fast and must not throw.
 */
public interface NearCacheListener {

	/**
	 * A read was answered from the local copy, without a request to DynamoDB.
	 * @param cacheName the cache
	 */
	default void hit(String cacheName) {
	}

	/**
	 * A read found no local copy and went to DynamoDB.
	 * @param cacheName the cache
	 */
	default void miss(String cacheName) {
	}

	/**
	 * A local copy was dropped because its key was written, evicted or cleared.
	 * @param cacheName the cache
	 * @param fromStream {@code true} when the table's stream reported the change (made by any JVM),
	 * {@code false} when this JVM made it
	 */
	default void invalidated(String cacheName, boolean fromStream) {
	}

	/**
	 * The time from one of this JVM's writes to the arrival of its record on the table's stream: how long
	 * the other JVMs may serve the value it replaced (they read the same stream the same way).
	 * @param lag the time from the end of the write to the arrival of its record
	 */
	default void invalidationLag(Duration lag) {
	}

	/**
	 * Return a listener that ignores everything.
	 * @return the listener
	 */
	static NearCacheListener none() {
		return new NearCacheListener() {
		};
	}

}
