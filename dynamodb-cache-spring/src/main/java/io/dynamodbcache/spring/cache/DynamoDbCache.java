package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbLeases;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.util.Assert;

/**
 * A Spring {@link org.springframework.cache.Cache} on a {@link DynamoDbCacheStore}. Created by
 * {@link DynamoDbCacheManager}.
 * <p>
 * Keys are encoded so that keys that are not equal never share an entry ({@link #convertKey}); values go
 * through the store's codec. {@link #get(Object, Callable)} and {@link #retrieve(Object, Supplier)} load a missing
 * value once per key in this JVM and, with a {@linkplain DynamoDbCacheConfiguration#enableDistributedLoadLease load lease}, once across
 * nodes. {@link #putIfAbsent} is atomic. {@link #clear()} and {@link #invalidate()} both remove the entries
 * at once.
 * <p>
 * Unless the manager is strict, a DynamoDB failure never reaches the caller: a read is a miss, a write is
 * dropped, and a warning is logged (at most every 10 seconds per cache). An eviction or clear that DynamoDB
 * did not confirm is the exception: it throws {@link io.dynamodbcache.core.UnconfirmedEvictionException}
 * (which Spring hands to the application's {@code CacheErrorHandler}), while the store retries it in the
 * background and this JVM reads the keys as missing until DynamoDB confirms it.
 */
public class DynamoDbCache extends AbstractValueAdaptingCache {

	private static final String LEASE_CACHE_PREFIX = "_load-lease_:";

	private final String name;

	private final String storeCacheName;

	private final DynamoDbCacheStore store;

	private final DynamoDbCacheConfiguration configuration;

	private final DefaultCacheStatistics statistics = new DefaultCacheStatistics();

	private final FailurePolicy failures;

	private final SingleFlight loads = new SingleFlight();

	private final CacheKeyEncoder keys;

	private final @Nullable DynamoDbLeases leases;

	private final @Nullable LoadLease lease;

	/**
	 * Create a cache; applications get caches from {@link DynamoDbCacheManager}.
	 * @param name the cache name
	 * @param store the store
	 * @param configuration the cache configuration
	 * @param strict whether DynamoDB failures are thrown rather than degraded
	 */
	protected DynamoDbCache(String name, DynamoDbCacheStore store, DynamoDbCacheConfiguration configuration,
			boolean strict) {
		super(configuration.getAllowCacheNullValues());
		Assert.hasText(name, "Cache name must not be empty");
		Assert.notNull(store, "DynamoDbCacheStore must not be null");
		this.name = name;
		this.storeCacheName = configuration.getCacheNamePrefix() + name;
		this.store = store;
		this.configuration = configuration;
		this.failures = new FailurePolicy(name, strict, this.statistics);
		this.keys = new CacheKeyEncoder(configuration.getConversionService());
		Duration leaseTime = configuration.getLoadLease();
		this.leases = (leaseTime != null) ? this.store.leases(LEASE_CACHE_PREFIX + this.storeCacheName) : null;
		this.lease = (leaseTime != null) ? new LoadLease(storeLeases(Objects.requireNonNull(this.leases)),
				LoadLease.Settings.forLeaseTime(leaseTime), this.failures) : null;
	}

	private static LoadLease.LeaseStore storeLeases(DynamoDbLeases leases) {
		return new LoadLease.LeaseStore() {

			@Override
			public @Nullable String tryAcquire(String key, Duration leaseTime) {
				return leases.tryAcquire(key, leaseTime);
			}

			@Override
			public boolean followsARelease(String token) {
				return leases.followsARelease(token);
			}

			@Override
			public void release(String key, String token) {
				leases.release(key, token);
			}

		};
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public DynamoDbCacheStore getNativeCache() {
		return this.store;
	}

	/**
	 * Return the configuration of this cache.
	 * @return the configuration
	 */
	public DynamoDbCacheConfiguration getCacheConfiguration() {
		return this.configuration;
	}

	/**
	 * Return the counters of this cache in this JVM.
	 * @return the statistics
	 */
	public CacheStatistics getStatistics() {
		return this.statistics;
	}

	/**
	 * Return the number of live entries, counted in DynamoDB (one Query per shard).
	 * @return the entry count, or {@code -1} if DynamoDB cannot be reached (unless strict)
	 */
	public long estimatedSize() {
		return this.failures.call("count entries", () -> this.store.count(this.storeCacheName), -1L);
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		return lookupStoreKey(storeKey(key));
	}

	/** {@link #lookup} of a key already encoded ({@code null}: a key with no stable form, a miss). */
	private @Nullable Object lookupStoreKey(@Nullable String storeKey) {
		CacheEntry entry = (storeKey != null) ? read(storeKey) : null;
		if (entry == null) {
			this.statistics.miss();
			return null;
		}
		this.statistics.hit();
		return toStoreForm(entry.value());
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		String storeKey = storeKey(key);
		if (storeKey == null) {
			return (T) load(key, valueLoader);
		}
		long finishedLoads = this.loads.finishedLoads(storeKey);
		long missReadAt = System.nanoTime();
		Read read = readAnswered(storeKey);
		CacheEntry cached = read.entry();
		if (cached != null) {
			this.statistics.hit();
			return (T) cached.value();
		}
		this.statistics.miss();
		try {
			return (T) this.loads.load(storeKey, () -> (this.loads.finishedLoads(storeKey) != finishedLoads)
					? loadUnlessLoadedMeanwhile(key, storeKey, valueLoader)
					: loadOnce(key, storeKey, valueLoader, missReadAt, read.answered()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	private @Nullable Object loadUnlessLoadedMeanwhile(Object key, String storeKey, Callable<?> valueLoader) {
		// Another thread finished a load of this key between our miss and taking the slot: read it again.
		long missReadAt = System.nanoTime();
		Read read = readAnswered(storeKey);
		CacheEntry loadedMeanwhile = read.entry();
		return (loadedMeanwhile != null) ? loadedMeanwhile.value()
				: loadOnce(key, storeKey, valueLoader, missReadAt, read.answered());
	}

	/**
	 * Load, under the lease if there is one, after a miss whose read was sent at {@code missReadAt} and was
	 * answered by DynamoDB or failed.
	 */
	private @Nullable Object loadOnce(Object key, String storeKey, Callable<?> valueLoader, long missReadAt,
			boolean missAnswered) {
		if (this.lease == null) {
			return loadAndPut(key, storeKey, valueLoader);
		}
		try {
			return this.lease.load(storeKey, () -> load(key, valueLoader),
					(value, token) -> writeLoaded(key, storeKey, value, token),
					() -> this.store.getEntry(this.storeCacheName, storeKey), missReadAt, missAnswered);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	private @Nullable Object loadAndPut(Object key, String storeKey, Callable<?> valueLoader) {
		Object value = load(key, valueLoader);
		writeLoaded(key, storeKey, value, null);
		return value;
	}

	/**
	 * Store a loaded value (never a {@code null} this cache does not keep: {@link #load} refuses it), releasing
	 * the load lease of the token in the same request when the store can.
	 * @return whether the lease was released
	 */
	private boolean writeLoaded(Object key, String storeKey, @Nullable Object value, @Nullable String leaseToken) {
		if (leaseToken == null || this.leases == null) {
			write(key, storeKey, value);
			return false;
		}
		Duration ttl = ttl(key, value);
		DynamoDbLeases leases = this.leases;
		return this.failures.call("write", () -> {
			boolean released = this.store.putAndRelease(this.storeCacheName, storeKey, value, ttl,
					this.configuration.getTimeToIdle(), leases, leaseToken);
			this.statistics.put();
			return released;
		}, false);
	}

	/**
	 * Run a loader. A {@code null} that this cache does not keep fails as {@code ConcurrentMapCache} fails it,
	 * and as {@link #put} does: with the error that names the fixes, whether or not the caller syncs.
	 */
	private @Nullable Object load(Object key, Callable<?> valueLoader) {
		long start = System.nanoTime();
		Object value;
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
		finally {
			this.statistics.load(System.nanoTime() - start);
		}
		if (value == null && !isAllowNullValues()) {
			throw new ValueRetrievalException(key, valueLoader, nullNotAllowed());
		}
		return value;
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		Object storeValue = toStoreValue(value);
		String storeKey = storeKey(key);
		if (storeKey != null) {
			write(key, storeKey, fromStoreValue(storeValue));
		}
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		Object userValue = fromStoreValue(toStoreValue(value));
		String storeKey = storeKey(key);
		if (storeKey == null) {
			return null;
		}
		return this.failures.call("write", () -> {
			CacheEntry existing = this.store.putIfAbsent(this.storeCacheName, storeKey, userValue, ttl(key, userValue),
					this.configuration.getTimeToIdle());
			if (existing == null) {
				this.statistics.put();
				return null;
			}
			return toValueWrapper(toStoreForm(existing.value()));
		}, null);
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		String storeKey = storeKey(key);
		if (storeKey == null) {
			return false;
		}
		return this.failures.call("evict", () -> {
			boolean removed = this.store.deleteIfPresent(this.storeCacheName, storeKey);
			this.statistics.eviction();
			return removed;
		}, false);
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		return this.failures.call("clear", () -> {
			int removed = this.store.clear(this.storeCacheName);
			this.statistics.eviction();
			return removed > 0;
		}, false);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		String storeKey = storeKey(key);
		if (storeKey == null) {
			this.statistics.miss();
			return CompletableFuture.completedFuture(null);
		}
		return readAsync(storeKey).thenApply((read) -> {
			CacheEntry entry = read.entry();
			return (entry != null) ? new SimpleValueWrapper(entry.value()) : null;
		});
	}

	/**
	 * Read the key, or load it once per key in this JVM (callers of a running load share its future) and, with a
	 * {@linkplain DynamoDbCacheConfiguration#enableDistributedLoadLease load lease}, once across nodes. A load that
	 * fails is not cached: its callers get its failure and the next caller loads again.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		String storeKey = storeKey(key);
		if (storeKey == null) {
			return (CompletableFuture<T>) loadAsync(valueLoader);
		}
		long finishedLoads = this.loads.finishedLoads(storeKey);
		long missReadAt = System.nanoTime();
		return readAsync(storeKey).thenCompose((read) -> {
			CacheEntry cached = read.entry();
			if (cached != null) {
				return CompletableFuture.completedFuture((T) cached.value());
			}
			return (CompletableFuture<T>) this.loads.loadAsync(storeKey,
					() -> (this.loads.finishedLoads(storeKey) != finishedLoads)
							? loadAsyncUnlessLoadedMeanwhile(key, storeKey, valueLoader)
							: loadOnceAsync(key, storeKey, valueLoader, missReadAt, read.answered()));
		});
	}

	private CompletableFuture<@Nullable Object> loadAsyncUnlessLoadedMeanwhile(Object key, String storeKey,
			Supplier<? extends CompletableFuture<?>> valueLoader) {
		long missReadAt = System.nanoTime();
		return readAsync(storeKey).thenCompose((read) -> {
			CacheEntry loadedMeanwhile = read.entry();
			return (loadedMeanwhile != null) ? CompletableFuture.completedFuture(loadedMeanwhile.value())
					: loadOnceAsync(key, storeKey, valueLoader, missReadAt, read.answered());
		});
	}

	/** {@link #loadOnce} for a loader that returns a future: under the lease on a thread of its own. */
	private CompletableFuture<@Nullable Object> loadOnceAsync(Object key, String storeKey,
			Supplier<? extends CompletableFuture<?>> valueLoader, long missReadAt, boolean missAnswered) {
		if (this.lease != null) {
			try {
				return CompletableFuture
					.supplyAsync(() -> loadOnce(key, storeKey, () -> valueLoader.get().join(), missReadAt, missAnswered),
							LeaseLoadExecutor.get())
					.exceptionallyCompose((failure) -> CompletableFuture.failedFuture(loaderFailure(failure)));
			}
			catch (RejectedExecutionException ex) {
				// Every lease thread is busy with other keys: load in this JVM once, without the lease.
			}
		}
		return loadAsync(valueLoader).thenCompose((value) -> writeAsync(key, value).thenApply((ignored) -> value));
	}

	/** Run an asynchronous loader: a {@code null} that this cache does not keep fails as {@link #load} fails it. */
	private CompletableFuture<@Nullable Object> loadAsync(Supplier<? extends CompletableFuture<?>> valueLoader) {
		long start = System.nanoTime();
		return valueLoader.get().thenCompose((value) -> {
			this.statistics.load(System.nanoTime() - start);
			if (value == null && !isAllowNullValues()) {
				return CompletableFuture.failedFuture(nullNotAllowed());
			}
			return CompletableFuture.completedFuture(value);
		});
	}

	/**
	 * The failure the caller of an asynchronous load sees: the loader's own, as without the lease, rather than
	 * the wrappers that running it under the lease added.
	 */
	private static Throwable loaderFailure(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ValueRetrievalException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** Read a key asynchronously, counting the hit or miss; a failure is a miss that DynamoDB did not answer. */
	private CompletableFuture<Read> readAsync(String storeKey) {
		return this.store.getEntryAsync(this.storeCacheName, storeKey).handle((entry, failure) -> {
			if (failure != null) {
				this.failures.failed("read", failure);
				this.statistics.miss();
				return Read.FAILED;
			}
			if (entry == null) {
				this.statistics.miss();
			}
			else {
				this.statistics.hit();
			}
			return new Read(entry, true);
		});
	}

	private CompletableFuture<@Nullable Void> writeAsync(Object key, @Nullable Object value) {
		String storeKey = storeKey(key);
		if (storeKey == null) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> write;
		try {
			write = this.store.putAsync(this.storeCacheName, storeKey, value, ttl(key, value),
					this.configuration.getTimeToIdle());
		}
		catch (DynamoDbCacheException ex) {
			write = CompletableFuture.failedFuture(ex);
		}
		return write.handle((ignored, failure) -> {
			if (failure != null) {
				this.failures.failed("write", failure);
			}
			else {
				this.statistics.put();
			}
			return null;
		});
	}

	private @Nullable CacheEntry read(String storeKey) {
		return this.failures.call("read", () -> this.store.getEntry(this.storeCacheName, storeKey), null);
	}

	/** {@link #read}, telling a miss that DynamoDB answered from a read that failed. */
	private Read readAnswered(String storeKey) {
		return this.failures.call("read", () -> new Read(this.store.getEntry(this.storeCacheName, storeKey), true),
				Read.FAILED);
	}

	/** A read's entry, and whether DynamoDB answered the read (a failed read is a miss that proves nothing). */
	private record Read(@Nullable CacheEntry entry, boolean answered) {

		static final Read FAILED = new Read(null, false);

	}

	private void write(Object key, String storeKey, @Nullable Object value) {
		Duration ttl = ttl(key, value);
		this.failures.run("write", () -> {
			this.store.put(this.storeCacheName, storeKey, value, ttl, this.configuration.getTimeToIdle());
			this.statistics.put();
		});
	}

	private Duration ttl(Object key, @Nullable Object value) {
		Duration ttl = this.configuration.getTtlFunction().getTimeToLive(key, value);
		Assert.state(ttl != null && !ttl.isNegative(),
				() -> "TtlFunction of cache '" + this.name + "' returned " + ttl + ": use Duration.ZERO for no expiry");
		return ttl;
	}

	private @Nullable Object toStoreForm(@Nullable Object value) {
		return (value == null) ? NullValue.INSTANCE : value;
	}

	@Override
	protected Object toStoreValue(@Nullable Object userValue) {
		if (userValue == null && !isAllowNullValues()) {
			throw nullNotAllowed();
		}
		return super.toStoreValue(userValue);
	}

	private IllegalArgumentException nullNotAllowed() {
		return new IllegalArgumentException("Cache '" + this.name + "' does not allow null values: skip them with "
				+ "@Cacheable(unless = \"#result == null\") (not with sync = true, which Spring does not combine with "
				+ "unless: return Optional instead) or allow them with dynamodb.cache.cache-null-values=true "
				+ "(DynamoDbCacheConfiguration without disableCachingNullValues())");
	}

	/**
	 * Convert a cache key to the string the store keys entries by: strings as they are, other keys in a
	 * typed, escaped form, so that keys that are not equal never share an entry (see the README's "Keys").
	 * @param key the cache key
	 * @return the store key
	 * @throws IllegalArgumentException if the key has no stable form; the message names the fixes
	 */
	protected String convertKey(Object key) {
		Assert.notNull(key, "Cache key must not be null");
		return this.keys.encode(key);
	}

	/** The store key, or {@code null} (after the failure policy had its say) for a key with no stable form. */
	private @Nullable String storeKey(Object key) {
		try {
			return convertKey(key);
		}
		catch (CacheKeyEncoder.UnsupportedKeyException ex) {
			this.failures.unsupportedKey(ex);
			return null;
		}
	}

	@Override
	public String toString() {
		return "DynamoDbCache[" + this.name + " in table " + this.store.getTableName() + "]";
	}

}
