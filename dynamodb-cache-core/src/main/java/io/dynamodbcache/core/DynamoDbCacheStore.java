package io.dynamodbcache.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A TTL-aware key-value store on one DynamoDB table that serves any number of named caches: the public API,
 * its argument checks and its builder. The work is done by package-private parts: {@link EntryOperations}
 * (entries by key), {@link ShardScan} (whole caches), {@link Counters}, {@link ItemMapper} and
 * {@link ExpiryRules} (pure rules), and {@link TableClient} with {@link RequestPath}, which every DynamoDB
 * request goes through.
 * <p>
 * Each cache is spread over {@linkplain DynamoDbCacheStoreBuilder#shards(int) N partitions} ({@code <cacheName>#<shard>}),
 * so whole-cache operations ({@link #keys}, {@link #count}, {@link #clear}) cost N Query calls on that cache
 * alone, never a Scan of the table. Entries expire at an absolute time-to-live, after an idle time without
 * reads (every read moves the deadline), or both; expired entries are invisible to every operation at once,
 * whenever DynamoDB's TTL process actually deletes them. Values go through a {@link ValueCodec} (JSON with a
 * type allow-list by default) and are compressed above a threshold.
 * <p>
 * The store is thread-safe. Every DynamoDB request has a {@linkplain RequestBudget time budget} and goes
 * through a {@linkplain #getCircuitBreaker() circuit breaker}; every failure is thrown as a
 * {@link DynamoDbCacheException} with the SDK exception as cause, and while the breaker is open requests
 * fail at once without being sent. Throttling is retried with jittered backoff within the budget. A stored item that
 * cannot be decoded, however malformed, is a miss: the entry is deleted and a warning logged.
 *
 * <pre class="code">
 * DynamoDbCacheStore store = DynamoDbCacheStore.builder(dynamoDbClient).tableName("app-cache").build();
 * store.put("books", "isbn-123", book, Duration.ofMinutes(10), null);
 * Object cached = store.get("books", "isbn-123");
 * </pre>
 */
public final class DynamoDbCacheStore {

	/** DynamoDB's maximum item size in bytes. */
	public static final int MAX_ITEM_BYTES = 400 * 1024;

	/** Table name used when none is configured. */
	public static final String DEFAULT_TABLE_NAME = "dynamodb-cache";

	/** Shards per cache used when none is configured. */
	public static final int DEFAULT_SHARDS = 16;

	/**
	 * Encoded size in bytes up to which values are never compressed, when none is configured: 0, so that
	 * any value is compressed when that makes DynamoDB bill fewer write units for its item.
	 */
	public static final int DEFAULT_COMPRESSION_THRESHOLD = 0;

	/** Largest size in bytes of an encoded value before compression, when none is configured. */
	public static final int DEFAULT_MAX_VALUE_SIZE = 4 * 1024 * 1024;

	/**
	 * How long {@link #close()} retries unconfirmed evictions, when nothing else is configured: 10 seconds, a
	 * third of Spring Boot's graceful shutdown period, and longer than the circuit breaker's second open and
	 * its probe.
	 */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final TableClient table;

	private final ItemLayout layout;

	private final ItemMapper mapper;

	private final Clock clock;

	private final EntryOperations entries;

	private final ShardScan shards;

	private final Counters counters;

	private final NearCaching nearCaching;

	private final NearCache nearCache;

	private final PendingInvalidations pending;

	DynamoDbCacheStore(TableClient table, ItemLayout layout, ItemMapper mapper, Clock clock, ShardScan shards,
			NearCaching nearCaching, NearCache nearCache, @Nullable PendingInvalidations pending, Duration closeTimeout) {
		this.table = table;
		this.layout = layout;
		this.mapper = mapper;
		this.clock = clock;
		this.entries = new EntryOperations(table, layout, mapper, clock, nearCache);
		this.shards = shards;
		this.counters = new Counters(table, layout, mapper, this.entries, clock);
		this.nearCaching = nearCaching;
		this.nearCache = nearCache;
		// The retries of a store and of all its views delete through the first store: deletes need no codec.
		this.pending = (pending != null) ? pending
				: new PendingInvalidations(this::deleteConfirmed, this::clearConfirmed, closeTimeout);
	}

	/**
	 * Start building a store on the given client. The store does not close the client. It sets its
	 * {@link RequestBudget time budget} on every request, and the SDK enforces it with a timer task per
	 * timeout; when the client's timeout scheduler is the SDK's default, which keeps a cancelled task until its
	 * deadline, {@link DynamoDbCacheStoreBuilder#build()} makes it remove cancelled tasks at once (the same for
	 * the asynchronous and the streams client), so that the budget costs the client's timer threads nothing
	 * after each call ends.
	 * @param client the DynamoDB client
	 * @return a builder
	 */
	public static DynamoDbCacheStoreBuilder builder(DynamoDbClient client) {
		return new DynamoDbCacheStoreBuilder(client);
	}

	/**
	 * Return a view of this store that encodes values with another codec, for caches whose values need their
	 * own codec. The view shares the table, the clients, the settings and the table check with this store; it
	 * is cheap to make.
	 * @param codec the codec
	 * @return a store on the same table
	 */
	public DynamoDbCacheStore withCodec(ValueCodec codec) {
		Objects.requireNonNull(codec, "Codec must not be null");
		return new DynamoDbCacheStore(this.table, this.layout, this.mapper.withCodec(codec), this.clock, this.shards,
				this.nearCaching, this.nearCache, this.pending, Duration.ZERO);
	}

	/**
	 * Return a view of this store whose reads are answered from a near cache when they can: a bounded copy,
	 * in this JVM, of the entries the view read from DynamoDB, one per cache name. A hit makes no request and
	 * decodes its own copy of the value, as a read from DynamoDB does.
	 * <p>
	 * A write, delete or clear of a key through this store or any of its views drops the key's copies at
	 * once. Writes by other JVMs drop them about a second later, if a
	 * {@linkplain DynamoDbCacheStoreBuilder#streamsClient streams client} is configured: one JVM of the fleet,
	 * elected with a lease in the table, reads the table's stream and writes the changed keys into a small
	 * invalidation feed in the table, which every JVM reads once per poll interval, so that the stream has one
	 * reader whatever the size of the fleet. The stream is enabled on the table (keys only) if it has none and
	 * table creation is enabled. Whatever happens to the
	 * stream, no copy is served longer than {@link NearCacheSettings#timeToLive()} after it was read.
	 * Entries with an idle expiry are not copied: each of their reads must reach DynamoDB to move their
	 * deadline.
	 * @param settings the near cache's bounds
	 * @return a store on the same table, with its own near cache
	 * @throws IllegalStateException if Caffeine is not on the class path
	 */
	public DynamoDbCacheStore withNearCache(NearCacheSettings settings) {
		Objects.requireNonNull(settings, "Near cache settings must not be null");
		return new DynamoDbCacheStore(this.table, this.layout, this.mapper, this.clock, this.shards,
				this.nearCaching, this.nearCaching.create(settings), this.pending, Duration.ZERO);
	}

	/**
	 * Tell whether near caches hear of other JVMs' writes: true while this JVM reads the table's invalidation
	 * feed and a live stream reader (this JVM or another) writes it; false before, while this JVM cannot read
	 * the feed, while no JVM can read the stream (the lease of the last reader is not renewed), or when no
	 * near cache or streams client is configured.
	 * @return whether near caches are told of other JVMs' writes
	 */
	public boolean isReadingStream() {
		return this.nearCaching.isReadingStream();
	}

	/**
	 * Tell whether this JVM is the one of the fleet that reads the table's stream and writes the invalidation
	 * feed (it holds the reader's lease).
	 * @return whether this JVM reads the stream for the fleet
	 */
	public boolean isStreamReader() {
		return this.nearCaching.isStreamReader();
	}

	/**
	 * Return a key as this store's log lines and exception messages show it: a fingerprint ({@code #} and 10 hex
	 * digits of its SHA-256), or the key quoted when the store was built with
	 * {@link DynamoDbCacheStoreBuilder#logKeys(boolean) logKeys(true)}.
	 * @param key the key
	 * @return the text that stands for the key
	 */
	public String describeKey(String key) {
		return this.layout.describeKey(key);
	}

	/**
	 * Return how many evictions and clears of this store and its views DynamoDB has not confirmed yet: while
	 * there are any, other nodes may still serve what they removed, and this JVM retries them.
	 * @return the number of keys and clears whose eviction is unconfirmed
	 */
	public int getUnconfirmedEvictions() {
		return this.pending.size();
	}

	/**
	 * Stop reading the table's stream, retrying unconfirmed evictions and probing an open circuit breaker, for
	 * this store and all its views. Evictions and clears that DynamoDB has not confirmed are first retried for at
	 * most the {@linkplain DynamoDbCacheStoreBuilder#closeTimeout close timeout}; what is left then is logged at
	 * error level with its caches and counts. Near caches then serve their copies for at most their
	 * time-to-live. The clients are not closed: they belong to whoever built the store.
	 */
	public void close() {
		this.nearCaching.close();
		this.pending.close();
		this.table.close();
	}

	/**
	 * Return the codec values are encoded with.
	 * @return the codec
	 */
	public ValueCodec getCodec() {
		return this.mapper.codec();
	}

	/**
	 * Return the circuit breaker that every DynamoDB request of this store (and of its codec views) goes
	 * through, for its state, metrics and events.
	 * @return the circuit breaker
	 */
	public CircuitBreaker getCircuitBreaker() {
		return this.table.breaker();
	}

	/**
	 * Return the name of the table.
	 * @return the table name
	 */
	public String getTableName() {
		return this.table.tableName();
	}

	/**
	 * Return the number of partitions each cache is spread over.
	 * @return the shard count
	 */
	public int getShards() {
		return this.layout.shards();
	}

	/**
	 * Check the table, creating it if it is missing and creation is enabled. Every operation calls this once
	 * before its first request; call it yourself to fail fast at startup. Idempotent.
	 * @throws DynamoDbCacheException if the table is missing and may not be created, has the wrong key schema,
	 * or DynamoDB cannot be reached
	 */
	public void ensureTable() {
		this.table.ensureReady();
	}

	/**
	 * Return the value of a live entry, or {@code null} if there is none (or the stored value is {@code null};
	 * use {@link #getEntry} to tell the two apart). Moves the deadline of an idle-expiring entry.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return the value or {@code null}
	 */
	public @Nullable Object get(String cacheName, String key) {
		CacheEntry entry = getEntry(cacheName, key);
		return (entry != null) ? entry.value() : null;
	}

	/**
	 * Ask DynamoDB for the table's status, within the request budget and through the circuit breaker (for
	 * health checks).
	 * @return {@code ACTIVE}, {@code UPDATING}, {@code CREATING}, ... or {@code MISSING}
	 * @throws DynamoDbCacheException if DynamoDB does not answer, or the breaker is open
	 */
	public String getTableStatus() {
		return this.table.tableStatus();
	}

	/**
	 * Return a live entry with its metadata, or {@code null} if there is none. Moves the deadline of an
	 * idle-expiring entry.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return the entry or {@code null}
	 */
	public @Nullable CacheEntry getEntry(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		if (this.pending.hides(cacheName, key)) {
			return null;
		}
		return this.entries.get(cacheName, key);
	}

	/**
	 * Asynchronous {@link #getEntry}: the read goes through the {@linkplain DynamoDbCacheStoreBuilder#asyncClient async client}
	 * when one is configured (else through the synchronous client on the {@linkplain DynamoDbCacheStoreBuilder#asyncExecutor
	 * async executor}); decoding and the idle-expiry update run on the async executor.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return a future of the entry, or of {@code null} if there is none; failures complete it with a
	 * {@link DynamoDbCacheException}
	 */
	public CompletableFuture<@Nullable CacheEntry> getEntryAsync(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		if (this.pending.hides(cacheName, key)) {
			return CompletableFuture.completedFuture(null);
		}
		return this.entries.getAsync(cacheName, key);
	}

	/**
	 * Asynchronous {@link #put(String, String, Object, Duration, Duration)}. The value is encoded and checked
	 * on the calling thread, so bad input still fails at once.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @return a future completed when the value is stored, or with a {@link DynamoDbCacheException}
	 */
	public CompletableFuture<Void> putAsync(String cacheName, String key, @Nullable Object value,
			@Nullable Duration timeToLive, @Nullable Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		String sortKey = invalidateBeforeWrite(cacheName, key);
		return this.entries.putAsync(cacheName, key, value, ttl, idle)
			.whenComplete((done, failure) -> invalidateAfterWrite(cacheName, sortKey, failure == null));
	}

	/**
	 * Whether a live entry exists. Does not count as a read for idle expiry and does not decode the value.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return {@code true} if a live entry exists
	 */
	public boolean containsKey(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		if (this.pending.hides(cacheName, key)) {
			return false;
		}
		return this.entries.containsKey(cacheName, key);
	}

	/**
	 * Store a value that never expires, replacing any entry of the key.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 */
	public void put(String cacheName, String key, @Nullable Object value) {
		put(cacheName, key, value, null, null);
	}

	/**
	 * Store a value, replacing any entry of the key together with its expiry settings.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @throws CacheValueTooLargeException if the encoded value exceeds the maximum value size, or the key is so
	 * long that even a large value's head item would exceed {@link #MAX_ITEM_BYTES} (values over one item are
	 * stored in chunks); nothing is written
	 * @throws CacheCodecException if the codec refuses the value; nothing is written
	 */
	public void put(String cacheName, String key, @Nullable Object value, @Nullable Duration timeToLive,
			@Nullable Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		writing(cacheName, key, () -> {
			this.entries.put(cacheName, key, value, ttl, idle);
			return null;
		});
	}

	/**
	 * Store a value like {@link #put(String, String, Object, Duration, Duration)}, but keep the time the key
	 * was first written across overwrites ({@link CacheEntry#firstCreatedAt()}), as Lucee's caches do. One
	 * UpdateItem of the same capacity as a PutItem (a second, plain write only replaces an expired entry
	 * that DynamoDB has not removed yet).
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @throws CacheValueTooLargeException if the encoded value exceeds the maximum value size, or the key is so
	 * long that even a large value's head item would exceed {@link #MAX_ITEM_BYTES} (values over one item are
	 * stored in chunks); nothing is written
	 * @throws CacheCodecException if the codec refuses the value; nothing is written
	 */
	public void putKeepingCreationTime(String cacheName, String key, @Nullable Object value,
			@Nullable Duration timeToLive, @Nullable Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		this.pending.settle(cacheName, key);
		writing(cacheName, key, () -> {
			this.entries.putKeepingCreationTime(cacheName, key, value, ttl, idle);
			return null;
		});
	}

	/**
	 * Store a value only if the key has no live entry, atomically (a conditional write: an expired entry
	 * counts as absent). Whether an entry has expired is judged by this node's clock: for locks across nodes
	 * whose clocks may differ, use {@link #leases(String)}.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @return {@code null} if the value was stored, else the live entry that prevented it
	 */
	public @Nullable CacheEntry putIfAbsent(String cacheName, String key, @Nullable Object value,
			@Nullable Duration timeToLive, @Nullable Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		this.pending.settle(cacheName, key);
		return writing(cacheName, key, () -> this.entries.putIfAbsent(cacheName, key, value, ttl, idle));
	}

	/**
	 * Atomically add to a counter and return its new value, in one conditional UpdateItem: concurrent
	 * increments from any number of nodes are never lost. A missing or expired counter starts from zero with
	 * the given time-to-live (a fixed window: later increments do not extend it). Reading the key with
	 * {@link #get} returns the count as a {@link Long}. A key that holds another live value is not a counter:
	 * the increment is refused and the value kept.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param delta the amount to add (may be negative)
	 * @param timeToLive lifetime of a new counter; {@code null} or zero for none
	 * @return the value after the increment
	 */
	public long increment(String cacheName, String key, long delta, @Nullable Duration timeToLive) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		this.pending.settle(cacheName, key);
		return writing(cacheName, key, () -> this.counters.increment(cacheName, key, delta, ttl));
	}

	/**
	 * Remove the entry of a key, if any.
	 * @param cacheName the cache name
	 * @param key the key
	 */
	public void delete(String cacheName, String key) {
		deleteIfPresent(cacheName, key);
	}

	/**
	 * Remove the entry of a key and tell whether a live entry was removed. If DynamoDB does not confirm the
	 * delete, the store retries it in the background until it does, and reads the key as missing in this JVM
	 * until then (see {@link UnconfirmedEvictionException}).
	 * @param cacheName the cache name
	 * @param key the key
	 * @return {@code true} if a live entry was removed
	 * @throws UnconfirmedEvictionException if DynamoDB did not confirm the delete
	 */
	public boolean deleteIfPresent(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		try {
			return deleteConfirmed(cacheName, key);
		}
		catch (DynamoDbCacheException ex) {
			this.pending.evictionFailed(cacheName, key);
			throw new UnconfirmedEvictionException("DynamoDB did not confirm the eviction of a key of cache '"
					+ cacheName + "': it is retried until it is, and this JVM reads the key as missing meanwhile ("
					+ ex.getMessage() + ")", ex);
		}
	}

	/** Delete a key; once DynamoDB confirmed it, earlier unconfirmed evictions of the key are done too. */
	private boolean deleteConfirmed(String cacheName, String key) {
		long generation = this.pending.generation();
		boolean removed = writing(cacheName, key, () -> this.entries.deleteIfPresent(cacheName, key));
		this.pending.confirmed(cacheName, key, generation);
		return removed;
	}

	/**
	 * Remove the entry of a key only if it is live and holds the given value, atomically (a conditional
	 * delete that compares the encoded value). Releases a lock taken with {@link #putIfAbsent} only when it
	 * is still the caller's: store a token of your own as the value, and pass the same token here.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param expectedValue the value the entry must hold; not {@code null}
	 * @return {@code true} if the entry held that value and was removed
	 */
	public boolean deleteIfValue(String cacheName, String key, Object expectedValue) {
		checkCacheName(cacheName);
		checkKey(key);
		Objects.requireNonNull(expectedValue, "Expected value must not be null");
		this.pending.settle(cacheName, key);
		return writing(cacheName, key, () -> this.entries.deleteIfValue(cacheName, key, expectedValue));
	}

	/**
	 * Store a value like {@link #put(String, String, Object, Duration, Duration)} and release the lease that
	 * a token holds on the same key, in one request (BatchWriteItem) when that is safe: when the lease was
	 * taken less than a lease time, minus the request's time budget, ago on this node's clock, so that no
	 * other node can have taken it over. The lease is then marked as released rather than deleted, so that the
	 * next node to take it learns that the value has just been stored ({@link DynamoDbLeases#followsARelease}).
	 * Otherwise only the value is written, and the caller releases the lease with
	 * {@link DynamoDbLeases#release}, whose delete expects the token.
	 * @param cacheName the cache name
	 * @param key the key of the value and of the lease
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @param leases the leases that hold the key, from {@link #leases} of this store
	 * @param token the token {@link DynamoDbLeases#tryAcquire} returned
	 * @return whether the lease was released; if {@code false}, release it with {@link DynamoDbLeases#release}
	 * @throws CacheValueTooLargeException if the encoded value exceeds the maximum value size, or the key is so
	 * long that even a large value's head item would exceed {@link #MAX_ITEM_BYTES} (values over one item are
	 * stored in chunks); nothing is written
	 * @throws CacheCodecException if the codec refuses the value; nothing is written
	 * @throws DynamoDbCacheException if DynamoDB fails
	 * @since 0.1.0
	 */
	public boolean putAndRelease(String cacheName, String key, @Nullable Object value, @Nullable Duration timeToLive,
			@Nullable Duration timeToIdle, DynamoDbLeases leases, String token) {
		checkCacheName(cacheName);
		checkKey(key);
		Objects.requireNonNull(leases, "Leases must not be null");
		Objects.requireNonNull(token, "Token must not be null");
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		this.pending.settle(cacheName, key);
		return writing(cacheName, key, () -> {
			WriteRequest release = leases.releaseRequest(key, token, this.table.apiCallTimeout());
			if (release == null) {
				this.entries.put(cacheName, key, value, ttl, idle);
				return false;
			}
			return this.entries.putWith(cacheName, key, value, ttl, idle, release);
		});
	}

	/**
	 * Return the leases of a cache's keys: locks that end by themselves and stay exclusive across nodes whose
	 * clocks differ (unlike a lock taken with {@link #putIfAbsent}, whose expiry each node judges by its own
	 * clock). Keep the returned object: it remembers the leases it has watched.
	 * @param cacheName the cache that holds the leases
	 * @return the leases
	 */
	public DynamoDbLeases leases(String cacheName) {
		checkCacheName(cacheName);
		return new DynamoDbLeases(cacheName, this.table, this.layout, this.mapper, this.clock);
	}

	/**
	 * Return the live entries of the given keys, read with BatchGetItem (100 keys a request, unprocessed keys
	 * retried with backoff). Moves the deadline of idle-expiring entries.
	 * @param cacheName the cache name
	 * @param keys the keys
	 * @return the live entries by key, in the order of the given keys; absent keys are left out
	 */
	public Map<String, CacheEntry> getAll(String cacheName, Collection<String> keys) {
		checkCacheName(cacheName);
		Objects.requireNonNull(keys, "Keys must not be null");
		List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
		distinct.forEach(DynamoDbCacheStore::checkKey);
		if (this.pending.hidesAny(cacheName)) {
			distinct.removeIf((key) -> this.pending.hides(cacheName, key));
		}
		return this.entries.getAll(cacheName, distinct);
	}

	/**
	 * Store several values with the same expiry settings, with BatchWriteItem (25 items a request,
	 * unprocessed items retried with backoff). Every value is encoded and checked before anything is
	 * written. Not atomic: on failure some values may have been written.
	 * @param cacheName the cache name
	 * @param entries the values by key; values may be {@code null}
	 * @param timeToLive time until the entries expire; {@code null} or zero for none
	 * @param timeToIdle time without reads after which an entry expires; {@code null} or zero for none
	 */
	public void putAll(String cacheName, Map<String, ?> entries, @Nullable Duration timeToLive,
			@Nullable Duration timeToIdle) {
		checkCacheName(cacheName);
		Objects.requireNonNull(entries, "Entries must not be null");
		entries.keySet().forEach(DynamoDbCacheStore::checkKey);
		long ttl = ExpiryRules.millis(timeToLive, "Time to live");
		long idle = ExpiryRules.millis(timeToIdle, "Time to idle");
		entries.keySet().forEach((key) -> invalidateBeforeWrite(cacheName, key));
		boolean written = false;
		try {
			this.entries.putAll(cacheName, entries, ttl, idle);
			written = true;
		}
		finally {
			for (String key : entries.keySet()) {
				invalidateAfterWrite(cacheName, ItemLayout.sortKey(key), written);
			}
		}
	}

	/**
	 * Return the keys of the live entries of a cache.
	 * @param cacheName the cache name
	 * @return the keys, in no particular order
	 */
	public List<String> keys(String cacheName) {
		return keys(cacheName, ShardScan.ALL_KEYS);
	}

	/**
	 * Return the keys of the live entries of a cache that match a filter. Costs one Query per shard of this
	 * cache, reading keys only.
	 * @param cacheName the cache name
	 * @param filter the key filter
	 * @return the matching keys, in no particular order
	 */
	public List<String> keys(String cacheName, Predicate<String> filter) {
		checkCacheName(cacheName);
		Objects.requireNonNull(filter, "Filter must not be null");
		if (this.pending.hidesAny(cacheName)) {
			return this.shards.keys(cacheName, filter.and((key) -> !this.pending.hides(cacheName, key)));
		}
		return this.shards.keys(cacheName, filter);
	}

	/**
	 * Count the live entries of a cache. Costs one Query per shard of this cache, returning counts only.
	 * @param cacheName the cache name
	 * @return the number of live entries
	 */
	public long count(String cacheName) {
		checkCacheName(cacheName);
		if (this.pending.hidesAny(cacheName)) {
			return keys(cacheName).size();
		}
		return this.shards.count(cacheName);
	}

	/**
	 * Remove every entry of a cache, leaving other caches in the table untouched. A clear that DynamoDB does
	 * not confirm in full is retried like a failed {@link #deleteIfPresent}.
	 * @param cacheName the cache name
	 * @return the number of live entries removed
	 * @throws UnconfirmedEvictionException if DynamoDB did not confirm the whole clear
	 */
	public int clear(String cacheName) {
		return clear(cacheName, ShardScan.ALL_KEYS);
	}

	/**
	 * Remove the entries of a cache whose keys match a filter: one Query per shard of this cache (keys only),
	 * then BatchWriteItem deletes, 25 a request. Expired entries that match are removed too.
	 * @param cacheName the cache name
	 * @param filter the key filter
	 * @return the number of live entries removed
	 * @throws UnconfirmedEvictionException if DynamoDB did not confirm the whole clear: it is retried until it
	 * is, and this JVM reads the matching keys as missing meanwhile
	 */
	public int clear(String cacheName, Predicate<String> filter) {
		checkCacheName(cacheName);
		Objects.requireNonNull(filter, "Filter must not be null");
		try {
			return clearConfirmed(cacheName, filter);
		}
		catch (DynamoDbCacheException ex) {
			this.pending.clearFailed(cacheName, filter);
			throw new UnconfirmedEvictionException("DynamoDB did not confirm the clear of cache '" + cacheName
					+ "': it is retried until it is, and this JVM reads its entries as missing meanwhile ("
					+ ex.getMessage() + ")", ex);
		}
	}

	/** Clear; once DynamoDB confirmed a whole clear, earlier unconfirmed evictions in the cache are done too. */
	private int clearConfirmed(String cacheName, Predicate<String> filter) {
		long generation = this.pending.generation();
		this.nearCaching.invalidateCache(cacheName);
		int removed;
		try {
			removed = this.shards.clear(cacheName, filter);
		}
		finally {
			this.nearCaching.invalidateCache(cacheName);
		}
		if (filter == ShardScan.ALL_KEYS) {
			this.pending.confirmed(cacheName, null, generation);
		}
		return removed;
	}

	/**
	 * Run a write of a key, dropping the key's near-cache copies before it (so that this JVM stops serving
	 * them at once) and after it (so that no read that overlapped it keeps what it read).
	 */
	private <T> T writing(String cacheName, String key, Supplier<T> write) {
		String sortKey = invalidateBeforeWrite(cacheName, key);
		boolean written = false;
		try {
			T result = write.get();
			written = true;
			return result;
		}
		finally {
			invalidateAfterWrite(cacheName, sortKey, written);
		}
	}

	private String invalidateBeforeWrite(String cacheName, String key) {
		String sortKey = ItemLayout.sortKey(key);
		this.nearCaching.invalidate(cacheName, sortKey, false);
		return sortKey;
	}

	private void invalidateAfterWrite(String cacheName, String sortKey, boolean written) {
		this.nearCaching.invalidate(cacheName, sortKey, false);
		if (written) {
			this.nearCaching.wrote(cacheName, sortKey);
		}
	}

	private static void checkCacheName(String cacheName) {
		Objects.requireNonNull(cacheName, "Cache name must not be null");
		if (cacheName.isEmpty()) {
			throw new IllegalArgumentException("Cache name must not be empty");
		}
		if (ItemLayout.utf8Length(cacheName) > ItemLayout.MAX_PARTITION_KEY_BYTES - 12) {
			throw new IllegalArgumentException("Cache name must be at most "
					+ (ItemLayout.MAX_PARTITION_KEY_BYTES - 12) + " bytes in UTF-8");
		}
	}

	private static void checkKey(String key) {
		Objects.requireNonNull(key, "Cache key must not be null");
		int loneSurrogate = ItemLayout.loneSurrogateIndex(key);
		if (loneSurrogate >= 0) {
			throw new IllegalArgumentException("Cache key has a lone surrogate (U+"
					+ Integer.toHexString(key.charAt(loneSurrogate)).toUpperCase(java.util.Locale.ROOT) + ") at index "
					+ loneSurrogate + ": DynamoDB stores strings as UTF-8 and would keep it as a replacement character "
					+ "that other keys share; escape such keys before caching them (the Spring cache does)");
		}
	}

	@Override
	public String toString() {
		return "DynamoDbCacheStore[table=" + getTableName() + ", shards=" + getShards() + ", consistentReads="
				+ this.table.consistentReads() + ", " + this.mapper + "]";
	}

}
