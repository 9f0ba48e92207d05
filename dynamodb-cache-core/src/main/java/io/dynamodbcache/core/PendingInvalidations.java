package io.dynamodbcache.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evictions and clears that DynamoDB did not confirm (timed out, refused by the breaker, cut off part-way).
 * A dropped eviction would be a wrong value later, so until a retry confirms one, this JVM reads the keys it
 * covers as missing, settles it before a conditional write of such a key, and a daemon thread retries it
 * (every {@value #FIRST_RETRY_MILLIS} ms, backing off to once a second, with no request while the circuit
 * breaker is open). Memory is bounded: past {@value #MAX_PENDING_KEYS} keys, a cache's pending keys become
 * one pending clear of that cache, which removes more than was asked, never less.
 * <p>
 * Each pending eviction carries a generation, so a retry that confirms an older eviction never drops a newer
 * one of the same key that failed while it was on its way.
 */
final class PendingInvalidations {

	private static final Logger logger = LoggerFactory.getLogger(PendingInvalidations.class);

	static final int MAX_PENDING_KEYS = 10_000;

	static final int MAX_PENDING_CLEARS_PER_CACHE = 16;

	private static final long FIRST_RETRY_MILLIS = 200;

	private static final long MAX_RETRY_MILLIS = 1000;

	private final RateLimitedLog log = new RateLimitedLog(logger);

	private final BiConsumer<String, String> delete;

	private final BiConsumer<String, Predicate<String>> clear;

	private final Map<String, CachePending> caches = new ConcurrentHashMap<>();

	private final AtomicLong generations = new AtomicLong();

	private final AtomicInteger pendingKeys = new AtomicInteger();

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	private final ScheduledThreadPoolExecutor retries;

	private final Duration closeTimeout;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile long retryDelayMillis = FIRST_RETRY_MILLIS;

	/**
	 * @param delete deletes one key of a cache, throwing {@link DynamoDbCacheException} if DynamoDB did not
	 * confirm it
	 * @param clear clears the keys of a cache that match a filter, throwing likewise
	 * @param closeTimeout how long {@link #close()} retries what is pending before it gives up
	 */
	PendingInvalidations(BiConsumer<String, String> delete, BiConsumer<String, Predicate<String>> clear,
			Duration closeTimeout) {
		this.delete = delete;
		this.clear = clear;
		this.closeTimeout = closeTimeout;
		this.retries = BackgroundScheduler.create("dynamodb-cache-eviction-retry", Duration.ofSeconds(10));
	}

	/** Whether this JVM must read the key as missing: an eviction or clear that covers it is unconfirmed. */
	boolean hides(String cacheName, String key) {
		if (this.caches.isEmpty()) {
			return false;
		}
		CachePending pending = this.caches.get(cacheName);
		return pending != null && pending.covers(key);
	}

	/** Whether any key of the cache may be hidden, so that whole-cache reads must look at each key. */
	boolean hidesAny(String cacheName) {
		return !this.caches.isEmpty() && this.caches.containsKey(cacheName);
	}

	/** The generation an eviction of the key that starts now will supersede, for {@link #confirmed}. */
	long generation() {
		return this.generations.get();
	}

	/** Record an eviction of the key that DynamoDB did not confirm, and schedule its retry. */
	void evictionFailed(String cacheName, String key) {
		CachePending pending = this.caches.computeIfAbsent(cacheName, (name) -> new CachePending());
		synchronized (pending) {
			if (pending.keys.put(key, this.generations.incrementAndGet()) == null
					&& this.pendingKeys.incrementAndGet() > MAX_PENDING_KEYS) {
				logger.warn("More than {} evictions are unconfirmed: cache '{}' is cleared instead of its {} keys",
						MAX_PENDING_KEYS, cacheName, pending.keys.size());
				pending.clears.add(new PendingClear(ShardScan.ALL_KEYS, this.generations.incrementAndGet()));
				this.pendingKeys.addAndGet(-pending.keys.size());
				pending.keys.clear();
			}
		}
		scheduleRetry();
	}

	/** Record a clear that DynamoDB did not confirm (or finished only in part), and schedule its retry. */
	void clearFailed(String cacheName, Predicate<String> filter) {
		CachePending pending = this.caches.computeIfAbsent(cacheName, (name) -> new CachePending());
		synchronized (pending) {
			Predicate<String> cleared = (pending.clears.size() < MAX_PENDING_CLEARS_PER_CACHE) ? filter
					: ShardScan.ALL_KEYS;
			if (cleared == ShardScan.ALL_KEYS) {
				pending.clears.clear();
			}
			pending.clears.add(new PendingClear(cleared, this.generations.incrementAndGet()));
		}
		scheduleRetry();
	}

	/**
	 * Tell that DynamoDB confirmed an eviction of the key (or a whole clear of its cache, {@code key == null}) that
	 * started when {@link #generation()} returned the given value: the pending ones it supersedes are done.
	 */
	void confirmed(String cacheName, @Nullable String key, long startGeneration) {
		CachePending pending = this.caches.get(cacheName);
		if (pending == null) {
			return;
		}
		synchronized (pending) {
			if (key != null) {
				Long generation = pending.keys.get(key);
				if (generation != null && generation <= startGeneration) {
					pending.keys.remove(key);
					this.pendingKeys.decrementAndGet();
				}
			}
			else {
				pending.clears.removeIf((clear) -> clear.generation <= startGeneration);
				int before = pending.keys.size();
				pending.keys.values().removeIf((generation) -> generation <= startGeneration);
				this.pendingKeys.addAndGet(pending.keys.size() - before);
			}
			if (pending.isEmpty()) {
				this.caches.remove(cacheName, pending);
			}
		}
	}

	/**
	 * Retry now, on the caller's thread, the pending evictions and clears that cover a key, before a
	 * conditional write of it would compare against a value that should be gone.
	 * @throws DynamoDbCacheException if DynamoDB still does not confirm them
	 */
	void settle(String cacheName, String key) {
		if (hides(cacheName, key)) {
			retry(cacheName, Objects.requireNonNull(this.caches.get(cacheName)), key);
		}
	}

	/** How many keys and clears wait for a retry, for tests and metrics. */
	int size() {
		int clears = 0;
		for (CachePending pending : this.caches.values()) {
			clears += pending.clears.size();
		}
		return this.pendingKeys.get() + clears;
	}

	/**
	 * Stop, after retrying what is pending on the caller's thread for at most the given time: a node that stops
	 * (a deploy, a scale-in) must not drop an eviction that other nodes would otherwise go on serving. What is
	 * still pending then is logged at error level, with the caches and counts (never the keys).
	 */
	void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		Duration timeout = this.closeTimeout;
		this.retries.shutdownNow();
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = FIRST_RETRY_MILLIS;
		while (!this.caches.isEmpty()) {
			boolean failed = false;
			for (Map.Entry<String, CachePending> cache : this.caches.entrySet()) {
				try {
					retry(cache.getKey(), cache.getValue(), null);
				}
				catch (RuntimeException ex) {
					failed = true;
				}
			}
			long left = deadline - System.nanoTime();
			if (!failed || this.caches.isEmpty() || left <= 0) {
				break;
			}
			try {
				TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(pause)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			pause = Math.min(pause * 2, MAX_RETRY_MILLIS);
		}
		if (!this.caches.isEmpty()) {
			logger.error("Closed after waiting {} ms for DynamoDB with evictions it never confirmed: {}; other nodes "
					+ "serve those entries until their time-to-live ends (raise the close timeout to wait longer)",
					timeout.toMillis(), describe());
		}
	}

	/** The caches with pending evictions, with their counts: {@code 'books' (2 keys, 1 clear)}. */
	String describe() {
		StringBuilder description = new StringBuilder();
		for (Map.Entry<String, CachePending> cache : this.caches.entrySet()) {
			if (description.length() > 0) {
				description.append(", ");
			}
			description.append('\'').append(cache.getKey()).append("' (")
				.append(counted(cache.getValue().keys.size(), "key"))
				.append(", ")
				.append(counted(cache.getValue().clears.size(), "clear"))
				.append(')');
		}
		return description.toString();
	}

	private static String counted(int count, String noun) {
		return count + " " + noun + ((count == 1) ? "" : "s");
	}

	private void scheduleRetry() {
		if (this.retryScheduled.compareAndSet(false, true)) {
			try {
				this.retries.schedule(this::retryAll, this.retryDelayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.retryScheduled.set(false);
			}
		}
	}

	private void retryAll() {
		this.retryScheduled.set(false);
		boolean failed = false;
		for (Map.Entry<String, CachePending> cache : this.caches.entrySet()) {
			try {
				retry(cache.getKey(), cache.getValue(), null);
			}
			catch (DynamoDbCacheException ex) {
				this.log.warn("Retrying unconfirmed evictions of cache '{}' failed, will try again: {}", cache.getKey(),
						ex.getMessage());
				failed = true;
				break;
			}
			catch (RuntimeException ex) {
				logger.error("Retrying unconfirmed evictions of cache '{}' failed", cache.getKey(), ex);
				failed = true;
				break;
			}
		}
		this.retryDelayMillis = failed ? Math.min(this.retryDelayMillis * 2, MAX_RETRY_MILLIS) : FIRST_RETRY_MILLIS;
		if (!this.caches.isEmpty()) {
			scheduleRetry();
		}
	}

	/** Retry a cache's pending clears, then its pending keys (only {@code onlyKey}'s, if given). */
	private void retry(String cacheName, CachePending pending, @Nullable String onlyKey) {
		for (PendingClear pendingClear : pending.clears) {
			if (onlyKey == null || pendingClear.filter.test(onlyKey)) {
				this.clear.accept(cacheName, pendingClear.filter);
				if (pendingClear.filter == ShardScan.ALL_KEYS) {
					confirmed(cacheName, null, pendingClear.generation);
				}
				else {
					synchronized (pending) {
						pending.clears.remove(pendingClear);
					}
				}
			}
		}
		List<Map.Entry<String, Long>> keys = (onlyKey == null) ? List.copyOf(pending.keys.entrySet())
				: (pending.keys.containsKey(onlyKey) ? List.of(Map.entry(onlyKey, pending.keys.get(onlyKey))) : List.of());
		for (Map.Entry<String, Long> key : keys) {
			this.delete.accept(cacheName, key.getKey());
			confirmed(cacheName, key.getKey(), key.getValue());
		}
		synchronized (pending) {
			if (pending.isEmpty()) {
				this.caches.remove(cacheName, pending);
			}
		}
	}

	/** A cache's pending evictions (key to generation) and clears. */
	private static final class CachePending {

		final Map<String, Long> keys = new ConcurrentHashMap<>();

		final List<PendingClear> clears = new CopyOnWriteArrayList<>();

		boolean covers(String key) {
			if (this.keys.containsKey(key)) {
				return true;
			}
			for (PendingClear clear : this.clears) {
				if (clear.filter.test(key)) {
					return true;
				}
			}
			return false;
		}

		boolean isEmpty() {
			return this.keys.isEmpty() && this.clears.isEmpty();
		}

	}

	/** A clear waiting for its retry; compared by identity, so two equal filters stay two clears. */
	private static final class PendingClear {

		final Predicate<String> filter;

		final long generation;

		PendingClear(Predicate<String> filter, long generation) {
			this.filter = filter;
			this.generation = generation;
		}

	}

}
