package io.dynamodbcache.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Concurrent near-cache misses of one key on one node share one read: when a hot key's copy expires or is
 * invalidated, the threads that miss it together wait for the first one's read instead of each sending its
 * own. A thread joins a read only if no invalidation of the key's stripe came between that read's start and
 * its own (equal near-cache stamps), so it never gets an item older than one it could have had from the near
 * cache; otherwise it reads on its own. A joining thread waits at most the request budget's call timeout.
 */
final class MergedReads {

	private final ConcurrentMap<ReadKey, InFlight> reads = new ConcurrentHashMap<>();

	private final Duration callTimeout;

	MergedReads(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	/**
	 * The item of a key, read by this thread or by one that started the same read with the same stamp.
	 * @param stamp the key's near-cache stamp, taken before the read
	 * @param read sends the read
	 * @throws DynamoDbCacheException if the read failed
	 */
	@Nullable Map<String, AttributeValue> read(String cacheName, String sortKey, long stamp,
			Supplier<@Nullable Map<String, AttributeValue>> read) {
		ReadKey key = new ReadKey(cacheName, sortKey);
		InFlight mine = new InFlight(stamp);
		InFlight current = this.reads.putIfAbsent(key, mine);
		if (current != null) {
			return (current.stamp == stamp) ? join(current) : read.get();
		}
		try {
			Map<String, AttributeValue> item = read.get();
			mine.item.complete(item);
			return item;
		}
		catch (RuntimeException ex) {
			mine.item.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.reads.remove(key, mine);
		}
	}

	private @Nullable Map<String, AttributeValue> join(InFlight read) {
		try {
			return read.item.get(this.callTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw new DynamoDbCacheException((cause != null) ? cause.getMessage() : ex.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new DynamoDbCacheException("A read of the same key that this one waited for took longer than "
					+ this.callTimeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DynamoDbCacheException("Interrupted while waiting for a read of the same key", ex);
		}
	}

	private record ReadKey(String cacheName, String sortKey) {
	}

	private static final class InFlight {

		final long stamp;

		final CompletableFuture<@Nullable Map<String, AttributeValue>> item = new CompletableFuture<>();

		InFlight(long stamp) {
			this.stamp = stamp;
		}

	}

}
