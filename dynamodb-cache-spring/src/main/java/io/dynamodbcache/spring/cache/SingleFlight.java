package io.dynamodbcache.spring.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * At most one load per key at a time in this JVM: a caller that finds a load of its key running waits for
 * that load's result (or failure) instead of loading again. It also counts finished loads in a few stripes
 * by key, so that a caller can tell whether a load of its key may have finished since it last looked, and
 * read the cache again only then.
 */
final class SingleFlight {

	private static final int STRIPES = 64;

	private final ConcurrentHashMap<String, CompletableFuture<@Nullable Object>> running = new ConcurrentHashMap<>();

	private final AtomicLongArray finished = new AtomicLongArray(STRIPES);

	/**
	 * A count that changes whenever a load of the key (or of a key in the same stripe) finishes: equal
	 * counts before and after mean that no load of the key finished in between.
	 */
	long finishedLoads(String key) {
		return this.finished.get(stripe(key));
	}

	/**
	 * Run a load of the key, or wait for the one that is running.
	 * @return the loaded value
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Nullable Object load(String key, Supplier<@Nullable Object> load) throws InterruptedException {
		CompletableFuture<@Nullable Object> own = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> other = this.running.putIfAbsent(key, own);
		if (other != null) {
			return await(other);
		}
		try {
			Object value = load.get();
			own.complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			own.completeExceptionally(ex);
			throw ex;
		}
		finally {
			// Counted before the slot is free, so that whoever takes it next sees the count changed.
			this.finished.incrementAndGet(stripe(key));
			this.running.remove(key, own);
		}
	}

	/**
	 * Start a load of the key, or join the one that is running, without blocking: the returned future
	 * completes with that load's value or failure. A failed load is not kept: the next caller loads again.
	 * @param load starts the load; what it throws fails the load
	 * @return a future of the loaded value, of its own, so that a caller that cancels it cancels no other's
	 */
	CompletableFuture<@Nullable Object> loadAsync(String key, Supplier<CompletableFuture<@Nullable Object>> load) {
		CompletableFuture<@Nullable Object> own = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> other = this.running.putIfAbsent(key, own);
		if (other != null) {
			return other.copy();
		}
		CompletableFuture<@Nullable Object> started;
		try {
			started = load.get();
		}
		catch (RuntimeException | Error ex) {
			started = CompletableFuture.failedFuture(ex);
		}
		started.whenComplete((value, failure) -> {
			if (failure != null) {
				own.completeExceptionally(failure);
			}
			else {
				own.complete(value);
			}
			this.finished.incrementAndGet(stripe(key));
			this.running.remove(key, own);
		});
		return own.copy();
	}

	private static int stripe(String key) {
		return Math.floorMod(key.hashCode(), STRIPES);
	}

	private static @Nullable Object await(CompletableFuture<@Nullable Object> load) throws InterruptedException {
		try {
			return load.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw (Error) cause;
		}
	}

}
