package io.dynamodbcache.spring.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * At most one load per key at a time in this JVM: a caller that finds a load of its key running waits for
 * that load's result (or failure) instead of loading again.
 */
final class SingleFlight {

	private final ConcurrentHashMap<String, CompletableFuture<@Nullable Object>> running = new ConcurrentHashMap<>();

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
			this.running.remove(key, own);
		}
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
