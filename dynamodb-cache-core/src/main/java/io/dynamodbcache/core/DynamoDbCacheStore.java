package io.dynamodbcache.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import static io.dynamodbcache.core.ItemLayout.CREATED_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.DEADLINE_MILLIS;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.FORMAT;
import static io.dynamodbcache.core.ItemLayout.IDLE_MILLIS;
import static io.dynamodbcache.core.ItemLayout.KEY;
import static io.dynamodbcache.core.ItemLayout.PARTITION_KEY;
import static io.dynamodbcache.core.ItemLayout.SORT_KEY;
import static io.dynamodbcache.core.ItemLayout.VALUE;

/**
 * A TTL-aware key-value store on one DynamoDB table that serves any number of named caches.
 * <p>
 * Each cache is spread over {@linkplain Builder#shards(int) N partitions} ({@code <cacheName>#<shard>}),
 * so whole-cache operations ({@link #keys}, {@link #count}, {@link #clear}) cost N Query calls on that cache
 * alone, never a Scan of the table. Entries expire at an absolute time-to-live, after an idle time without
 * reads (every read moves the deadline), or both; expired entries are invisible to every operation at once,
 * whenever DynamoDB's TTL process actually deletes them. Values go through a {@link ValueCodec} (JSON with a
 * type allow-list by default) and are compressed above a threshold.
 * <p>
 * The store is thread-safe. Every DynamoDB failure is thrown as a {@link DynamoDbCacheException} with the
 * SDK exception as cause; throttling is retried by the client's own retry strategy first. Stored bytes that
 * cannot be decoded are a miss: the entry is deleted and a warning logged.
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

	/** Size in bytes above which encoded values are compressed, when none is configured. */
	public static final int DEFAULT_COMPRESSION_THRESHOLD = 4096;

	private static final Logger logger = LoggerFactory.getLogger(DynamoDbCacheStore.class);

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

	private static final int BATCH_GET_LIMIT = 100;

	private static final int BATCH_WRITE_LIMIT = 25;

	private static final int BATCH_ATTEMPTS = 8;

	private static final int IDLE_TOUCH_DIVISOR = 20;

	private static final String LIVE_FILTER = "attribute_not_exists(#exp) OR #exp > :now";

	private final DynamoDbClient client;

	private final DynamoDbAsyncClient asyncClient;

	private final Executor asyncExecutor;

	private final String tableName;

	private final ItemLayout layout;

	private final boolean consistentReads;

	private final ValueCodec codec;

	private final int compressionThreshold;

	private final Clock clock;

	private final TableManager tableManager;

	private volatile boolean tableReady;

	private DynamoDbCacheStore(Builder builder) {
		this.client = builder.client;
		this.asyncClient = builder.asyncClient;
		this.asyncExecutor = builder.asyncExecutor;
		this.tableName = builder.tableName;
		this.layout = new ItemLayout(builder.shards);
		this.consistentReads = builder.consistentReads;
		this.codec = builder.codec;
		this.compressionThreshold = builder.compressionThreshold;
		this.clock = builder.clock;
		this.tableManager = new TableManager(builder.client, builder.tableName, builder.createTable);
	}

	/**
	 * Start building a store on the given client. The store does not close the client.
	 * @param client the DynamoDB client
	 * @return a builder
	 */
	public static Builder builder(DynamoDbClient client) {
		return new Builder(client);
	}

	/**
	 * Return a store on the same table, clients and settings that encodes values with another codec, for
	 * caches whose values need their own codec.
	 * @param codec the codec
	 * @return a new store
	 */
	public DynamoDbCacheStore withCodec(ValueCodec codec) {
		Builder builder = new Builder(this.client).asyncClient(this.asyncClient)
			.asyncExecutor(this.asyncExecutor)
			.tableName(this.tableName)
			.createTable(this.tableManager.createTable())
			.shards(getShards())
			.consistentReads(this.consistentReads)
			.codec(codec)
			.compressionThreshold(this.compressionThreshold)
			.clock(this.clock);
		DynamoDbCacheStore store = builder.build();
		store.tableReady = this.tableReady;
		return store;
	}

	/**
	 * Return the codec values are encoded with.
	 * @return the codec
	 */
	public ValueCodec getCodec() {
		return this.codec;
	}

	/**
	 * Return the name of the table.
	 * @return the table name
	 */
	public String getTableName() {
		return this.tableName;
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
		if (!this.tableReady) {
			synchronized (this.tableManager) {
				if (!this.tableReady) {
					this.tableManager.ensureTable();
					this.tableReady = true;
				}
			}
		}
	}

	/**
	 * Return the value of a live entry, or {@code null} if there is none (or the stored value is {@code null};
	 * use {@link #getEntry} to tell the two apart). Moves the deadline of an idle-expiring entry.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return the value or {@code null}
	 */
	public Object get(String cacheName, String key) {
		CacheEntry entry = getEntry(cacheName, key);
		return (entry != null) ? entry.value() : null;
	}

	/**
	 * Return a live entry with its metadata, or {@code null} if there is none. Moves the deadline of an
	 * idle-expiring entry.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return the entry or {@code null}
	 */
	public CacheEntry getEntry(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		Map<String, AttributeValue> item = call("read", cacheName, key,
				() -> this.client.getItem((request) -> request.tableName(this.tableName)
					.key(this.layout.primaryKey(cacheName, key))
					.consistentRead(this.consistentReads)).item());
		return toLiveEntry(cacheName, key, item, this.clock.millis(), true);
	}

	/**
	 * Asynchronous {@link #getEntry}: the read goes through the {@linkplain Builder#asyncClient async client}
	 * when one is configured (else through the synchronous client on the {@linkplain Builder#asyncExecutor
	 * async executor}); decoding and the idle-expiry update run on the async executor.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return a future of the entry, or of {@code null} if there is none; failures complete it with a
	 * {@link DynamoDbCacheException}
	 */
	public CompletableFuture<CacheEntry> getEntryAsync(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		if (this.asyncClient == null || !this.tableReady) {
			return CompletableFuture.supplyAsync(() -> getEntry(cacheName, key), this.asyncExecutor);
		}
		return this.asyncClient
			.getItem((request) -> request.tableName(this.tableName)
				.key(this.layout.primaryKey(cacheName, key))
				.consistentRead(this.consistentReads))
			.handleAsync((response, failure) -> {
				if (failure != null) {
					throw asStoreException("read", cacheName, key, failure);
				}
				return toLiveEntry(cacheName, key, response.item(), this.clock.millis(), true);
			}, this.asyncExecutor);
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
	public CompletableFuture<Void> putAsync(String cacheName, String key, Object value, Duration timeToLive,
			Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		Map<String, AttributeValue> item = newItem(cacheName, key, value, timeToLive, timeToIdle,
				this.clock.millis());
		if (this.asyncClient == null || !this.tableReady) {
			// put() checks the table first and takes its own timestamp after that check.
			return CompletableFuture.runAsync(() -> put(cacheName, key, value, timeToLive, timeToIdle),
					this.asyncExecutor);
		}
		return this.asyncClient.putItem((request) -> request.tableName(this.tableName).item(item))
			.handle((response, failure) -> {
				if (failure != null) {
					throw asStoreException("write", cacheName, key, failure);
				}
				return null;
			});
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
		Map<String, AttributeValue> item = call("read", cacheName, key,
				() -> this.client.getItem((request) -> request.tableName(this.tableName)
					.key(this.layout.primaryKey(cacheName, key))
					.projectionExpression("#sk, #key, #exp")
					.expressionAttributeNames(Map.of("#sk", SORT_KEY, "#key", KEY, "#exp", EXPIRES_AT_MILLIS))
					.consistentRead(this.consistentReads)).item());
		return isLive(key, item, this.clock.millis());
	}

	/**
	 * Store a value that never expires, replacing any entry of the key.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 */
	public void put(String cacheName, String key, Object value) {
		put(cacheName, key, value, null, null);
	}

	/**
	 * Store a value, replacing any entry of the key together with its expiry settings.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @throws CacheValueTooLargeException if the item would exceed {@link #MAX_ITEM_BYTES}; nothing is written
	 * @throws CacheCodecException if the codec refuses the value; nothing is written
	 */
	public void put(String cacheName, String key, Object value, Duration timeToLive, Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		// Check the table before taking the time: a first write must not lose its TTL to that check.
		ensureTable();
		Map<String, AttributeValue> item = newItem(cacheName, key, value, timeToLive, timeToIdle,
				this.clock.millis());
		call("write", cacheName, key,
				() -> this.client.putItem((request) -> request.tableName(this.tableName).item(item)));
	}

	/**
	 * Store a value only if the key has no live entry, atomically (a conditional write: an expired entry
	 * counts as absent).
	 * @param cacheName the cache name
	 * @param key the key
	 * @param value the value, may be {@code null}
	 * @param timeToLive time until the entry expires; {@code null} or zero for none
	 * @param timeToIdle time without reads after which the entry expires; {@code null} or zero for none
	 * @return {@code null} if the value was stored, else the live entry that prevented it
	 */
	public CacheEntry putIfAbsent(String cacheName, String key, Object value, Duration timeToLive,
			Duration timeToIdle) {
		checkCacheName(cacheName);
		checkKey(key);
		ensureTable();
		long now = this.clock.millis();
		Map<String, AttributeValue> item = newItem(cacheName, key, value, timeToLive, timeToIdle, now);
		Map<String, String> names = new HashMap<>(Map.of("#sk", SORT_KEY, "#exp", EXPIRES_AT_MILLIS, "#key", KEY));
		Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", number(now)));
		String otherKey;
		if (ItemLayout.needsDigest(key)) {
			otherKey = "NOT #key = :key";
			values.put(":key", AttributeValue.fromS(key));
		}
		else {
			otherKey = "attribute_exists(#key)";
		}
		String condition = "attribute_not_exists(#sk) OR #exp <= :now OR " + otherKey;
		for (int attempt = 0;; attempt++) {
			try {
				call("write", cacheName, key,
						() -> this.client.putItem((request) -> request.tableName(this.tableName)
							.item(item)
							.conditionExpression(condition)
							.expressionAttributeNames(names)
							.expressionAttributeValues(values)
							.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
				return null;
			}
			catch (DynamoDbCacheException ex) {
				if (!(ex.getCause() instanceof ConditionalCheckFailedException conflict)) {
					throw ex;
				}
				Map<String, AttributeValue> existing = conflict.hasItem() ? conflict.item() : null;
				if (existing == null || existing.isEmpty()) {
					existing = call("read", cacheName, key,
							() -> this.client.getItem((request) -> request.tableName(this.tableName)
								.key(this.layout.primaryKey(cacheName, key))
								.consistentRead(true)).item());
				}
				CacheEntry entry = toLiveEntry(cacheName, key, existing, now, false);
				if (entry != null || attempt >= 2) {
					return entry;
				}
				// The entry in the way was undecodable (and is now deleted) or vanished: try again.
			}
		}
	}

	/**
	 * Atomically add to a counter and return its new value, in one conditional UpdateItem: concurrent
	 * increments from any number of nodes are never lost. A missing or expired counter starts from zero with
	 * the given time-to-live (a fixed window: later increments do not extend it). Reading the key with
	 * {@link #get} returns the count as a {@link Long}.
	 * @param cacheName the cache name
	 * @param key the key
	 * @param delta the amount to add (may be negative)
	 * @param timeToLive lifetime of a new counter; {@code null} or zero for none
	 * @return the value after the increment
	 */
	public long increment(String cacheName, String key, long delta, Duration timeToLive) {
		checkCacheName(cacheName);
		checkKey(key);
		long ttl = checkDuration(timeToLive, "Time to live");
		ensureTable();
		Map<String, String> names = new HashMap<>(Map.of("#sk", SORT_KEY, "#counter", ItemLayout.COUNTER, "#fmt",
				FORMAT, "#created", CREATED_AT_MILLIS, "#expMs", EXPIRES_AT_MILLIS, "#key", KEY));
		for (int attempt = 0;; attempt++) {
			long now = this.clock.millis();
			Map<String, AttributeValue> values = new HashMap<>();
			values.put(":delta", number(delta));
			values.put(":fmt", number(ItemLayout.FORMAT_COUNTER));
			values.put(":now", number(now));
			StringBuilder update = new StringBuilder("ADD #counter :delta SET #fmt = :fmt, "
					+ "#created = if_not_exists(#created, :now)");
			if (ttl > 0) {
				names.put("#exp", EXPIRES_AT);
				values.put(":expMs", number(now + ttl));
				values.put(":exp", number(epochSecondsCeiling(now + ttl)));
				update.append(", #expMs = if_not_exists(#expMs, :expMs), #exp = if_not_exists(#exp, :exp)");
			}
			if (ItemLayout.needsDigest(key)) {
				values.put(":key", AttributeValue.fromS(key));
				update.append(", #key = :key");
			}
			String condition = "(attribute_not_exists(#sk) OR #expMs > :now OR attribute_not_exists(#expMs)) AND "
					+ (ItemLayout.needsDigest(key) ? "(attribute_not_exists(#key) OR #key = :key)"
							: "attribute_not_exists(#key)")
					+ " AND (attribute_not_exists(#fmt) OR #fmt = :fmt)";
			try {
				Map<String, AttributeValue> updated = call("increment", cacheName, key,
						() -> this.client.updateItem((request) -> request.tableName(this.tableName)
							.key(this.layout.primaryKey(cacheName, key))
							.updateExpression(update.toString())
							.conditionExpression(condition)
							.expressionAttributeNames(names)
							.expressionAttributeValues(values)
							.returnValues(ReturnValue.UPDATED_NEW)).attributes());
				return Long.parseLong(updated.get(ItemLayout.COUNTER).n());
			}
			catch (DynamoDbCacheException ex) {
				if (!(ex.getCause() instanceof ConditionalCheckFailedException) || attempt >= 5) {
					throw ex;
				}
				// An expired entry, or a value that is not a counter, is in the way: remove it unless it changed.
				replaceBlockingEntry(cacheName, key, now);
			}
		}
	}

	private void replaceBlockingEntry(String cacheName, String key, long now) {
		Map<String, AttributeValue> item = call("read", cacheName, key,
				() -> this.client.getItem((request) -> request.tableName(this.tableName)
					.key(this.layout.primaryKey(cacheName, key))
					.consistentRead(true)).item());
		if (item == null || item.isEmpty()) {
			return;
		}
		boolean counter = String.valueOf(ItemLayout.FORMAT_COUNTER).equals(item.get(FORMAT).n());
		if (counter && isLive(key, item, now)) {
			return;
		}
		try {
			// If it changed meanwhile, the next attempt sees the new state.
			deleteIfUnchanged(cacheName, key, item);
		}
		catch (SdkException ex) {
			throw asStoreException("increment", cacheName, key, ex);
		}
	}

	/**
	 * Delete the item read for a key unless it was replaced since ({@value ItemLayout#CREATED_AT_MILLIS}
	 * differs).
	 * @return whether it was deleted
	 */
	private boolean deleteIfUnchanged(String cacheName, String key, Map<String, AttributeValue> item) {
		try {
			this.client.deleteItem((request) -> request.tableName(this.tableName)
				.key(this.layout.primaryKey(cacheName, key))
				.conditionExpression("#created = :created")
				.expressionAttributeNames(Map.of("#created", CREATED_AT_MILLIS))
				.expressionAttributeValues(Map.of(":created", item.get(CREATED_AT_MILLIS))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
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
	 * Remove the entry of a key and tell whether a live entry was removed.
	 * @param cacheName the cache name
	 * @param key the key
	 * @return {@code true} if a live entry was removed
	 */
	public boolean deleteIfPresent(String cacheName, String key) {
		checkCacheName(cacheName);
		checkKey(key);
		Map<String, String> names = new HashMap<>(Map.of("#key", KEY));
		Map<String, AttributeValue> values = new HashMap<>();
		String condition;
		if (ItemLayout.needsDigest(key)) {
			condition = "attribute_not_exists(#key) OR #key = :key";
			values.put(":key", AttributeValue.fromS(key));
		}
		else {
			condition = "attribute_not_exists(#key)";
		}
		try {
			Map<String, AttributeValue> old = call("delete", cacheName, key,
					() -> this.client.deleteItem((request) -> request.tableName(this.tableName)
						.key(this.layout.primaryKey(cacheName, key))
						.conditionExpression(condition)
						.expressionAttributeNames(names)
						.expressionAttributeValues(values.isEmpty() ? null : values)
						.returnValues(ReturnValue.ALL_OLD)).attributes());
			return isLive(key, old, this.clock.millis());
		}
		catch (DynamoDbCacheException ex) {
			if (ex.getCause() instanceof ConditionalCheckFailedException) {
				// The item under this sort key belongs to a different (digest-colliding) key.
				return false;
			}
			throw ex;
		}
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
		Map<String, Map<String, AttributeValue>> itemsByKey = new HashMap<>();
		for (int from = 0; from < distinct.size(); from += BATCH_GET_LIMIT) {
			List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_LIMIT));
			Map<String, String> keysByPrimaryKey = new HashMap<>();
			List<Map<String, AttributeValue>> primaryKeys = new ArrayList<>(chunk.size());
			for (String key : chunk) {
				Map<String, AttributeValue> primaryKey = this.layout.primaryKey(cacheName, key);
				primaryKeys.add(primaryKey);
				keysByPrimaryKey.put(primaryKey.get(PARTITION_KEY).s() + "\n" + primaryKey.get(SORT_KEY).s(), key);
			}
			Map<String, KeysAndAttributes> pending = Map.of(this.tableName,
					KeysAndAttributes.builder().keys(primaryKeys).consistentRead(this.consistentReads).build());
			for (int attempt = 0; !pending.isEmpty(); attempt++) {
				checkAttempts(attempt, cacheName, "read");
				Map<String, KeysAndAttributes> request = pending;
				BatchGetItemResponse response = call("batch read", cacheName, null,
						() -> this.client.batchGetItem((builder) -> builder.requestItems(request)));
				for (Map<String, AttributeValue> item : response.responses().getOrDefault(this.tableName, List.of())) {
					String key = keysByPrimaryKey.get(item.get(PARTITION_KEY).s() + "\n" + item.get(SORT_KEY).s());
					itemsByKey.put(key, item);
				}
				pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
			}
		}
		long now = this.clock.millis();
		Map<String, CacheEntry> entries = new LinkedHashMap<>();
		for (String key : distinct) {
			CacheEntry entry = toLiveEntry(cacheName, key, itemsByKey.get(key), now, true);
			if (entry != null) {
				entries.put(key, entry);
			}
		}
		return entries;
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
	public void putAll(String cacheName, Map<String, ?> entries, Duration timeToLive, Duration timeToIdle) {
		checkCacheName(cacheName);
		Objects.requireNonNull(entries, "Entries must not be null");
		ensureTable();
		long now = this.clock.millis();
		List<WriteRequest> writes = new ArrayList<>(entries.size());
		entries.forEach((key, value) -> {
			checkKey(key);
			Map<String, AttributeValue> item = newItem(cacheName, key, value, timeToLive, timeToIdle, now);
			writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
		});
		batchWrite(cacheName, writes);
	}

	/**
	 * Return the keys of the live entries of a cache.
	 * @param cacheName the cache name
	 * @return the keys, in no particular order
	 */
	public List<String> keys(String cacheName) {
		return keys(cacheName, (key) -> true);
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
		List<String> keys = new ArrayList<>();
		long now = this.clock.millis();
		for (int shard = 0; shard < getShards(); shard++) {
			queryShard(cacheName, shard, "#sk, #key", Map.of("#sk", SORT_KEY, "#key", KEY), now, true, (item) -> {
				String key = ItemLayout.logicalKey(item);
				if (filter.test(key)) {
					keys.add(key);
				}
			});
		}
		return keys;
	}

	/**
	 * Count the live entries of a cache. Costs one Query per shard of this cache, returning counts only.
	 * @param cacheName the cache name
	 * @return the number of live entries
	 */
	public long count(String cacheName) {
		checkCacheName(cacheName);
		long now = this.clock.millis();
		long[] count = new long[1];
		for (int shard = 0; shard < getShards(); shard++) {
			queryShardPages(cacheName, shard, null, Map.of(), now, true, (page) -> count[0] += page.count());
		}
		return count[0];
	}

	/**
	 * Remove every entry of a cache, leaving other caches in the table untouched.
	 * @param cacheName the cache name
	 * @return the number of live entries removed
	 */
	public int clear(String cacheName) {
		return clear(cacheName, (key) -> true);
	}

	/**
	 * Remove the entries of a cache whose keys match a filter: one Query per shard of this cache (keys only),
	 * then BatchWriteItem deletes, 25 a request. Expired entries that match are removed too.
	 * @param cacheName the cache name
	 * @param filter the key filter
	 * @return the number of live entries removed
	 */
	public int clear(String cacheName, Predicate<String> filter) {
		checkCacheName(cacheName);
		Objects.requireNonNull(filter, "Filter must not be null");
		long now = this.clock.millis();
		List<WriteRequest> deletes = new ArrayList<>();
		int[] live = new int[1];
		for (int shard = 0; shard < getShards(); shard++) {
			queryShard(cacheName, shard, "#pk, #sk, #key, #exp",
					Map.of("#pk", PARTITION_KEY, "#sk", SORT_KEY, "#key", KEY, "#exp", EXPIRES_AT_MILLIS), now, false,
					(item) -> {
						if (filter.test(ItemLayout.logicalKey(item))) {
							Map<String, AttributeValue> primaryKey = Map.of(PARTITION_KEY, item.get(PARTITION_KEY),
									SORT_KEY, item.get(SORT_KEY));
							deletes.add(WriteRequest.builder()
								.deleteRequest(DeleteRequest.builder().key(primaryKey).build())
								.build());
							if (!isExpired(item, now)) {
								live[0]++;
							}
						}
					});
		}
		batchWrite(cacheName, deletes);
		return live[0];
	}

	private void queryShard(String cacheName, int shard, String projection, Map<String, String> projectionNames,
			long now, boolean liveOnly, Consumer<Map<String, AttributeValue>> action) {
		queryShardPages(cacheName, shard, projection, projectionNames, now, liveOnly,
				(page) -> page.items().forEach(action));
	}

	/**
	 * Query every page of one shard of a cache: the given projection, or counts only when it is {@code null};
	 * live entries only, or all.
	 */
	private void queryShardPages(String cacheName, int shard, String projection,
			Map<String, String> projectionNames, long now, boolean liveOnly, Consumer<QueryResponse> pageAction) {
		String partitionKey = this.layout.partitionKey(cacheName, shard);
		Map<String, String> names = new HashMap<>(projectionNames);
		names.put("#pk", PARTITION_KEY);
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":pk", AttributeValue.fromS(partitionKey));
		if (liveOnly) {
			names.put("#exp", EXPIRES_AT_MILLIS);
			values.put(":now", number(now));
		}
		Map<String, AttributeValue> startKey = null;
		do {
			Map<String, AttributeValue> exclusiveStart = startKey;
			QueryResponse response = call("query", cacheName, null,
					() -> this.client.query(QueryRequest.builder()
						.tableName(this.tableName)
						.keyConditionExpression("#pk = :pk")
						.filterExpression(liveOnly ? LIVE_FILTER : null)
						.projectionExpression(projection)
						.select((projection != null) ? Select.SPECIFIC_ATTRIBUTES : Select.COUNT)
						.expressionAttributeNames(names)
						.expressionAttributeValues(values)
						.consistentRead(this.consistentReads)
						.exclusiveStartKey(exclusiveStart)
						.build()));
			pageAction.accept(response);
			startKey = response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null;
		}
		while (startKey != null && !startKey.isEmpty());
	}

	private void batchWrite(String cacheName, List<WriteRequest> writes) {
		for (int from = 0; from < writes.size(); from += BATCH_WRITE_LIMIT) {
			List<WriteRequest> chunk = writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE_LIMIT));
			Map<String, List<WriteRequest>> pending = Map.of(this.tableName, chunk);
			for (int attempt = 0; !pending.isEmpty(); attempt++) {
				checkAttempts(attempt, cacheName, "write");
				Map<String, List<WriteRequest>> request = pending;
				BatchWriteItemResponse response = call("batch write", cacheName, null,
						() -> this.client.batchWriteItem((builder) -> builder.requestItems(request)));
				pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
			}
		}
	}

	private static void checkAttempts(int attempt, String cacheName, String operation) {
		if (attempt == 0) {
			return;
		}
		if (attempt >= BATCH_ATTEMPTS) {
			throw new DynamoDbCacheException("DynamoDB left items of a batch " + operation + " on cache '" + cacheName
					+ "' unprocessed after " + BATCH_ATTEMPTS + " attempts: the table is throttled");
		}
		try {
			Thread.sleep(Math.min(1000, 25L << attempt));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DynamoDbCacheException("Interrupted during batch " + operation + " on cache '" + cacheName + "'",
					ex);
		}
	}

	private Map<String, AttributeValue> newItem(String cacheName, String key, Object value, Duration timeToLive,
			Duration timeToIdle, long now) {
		long ttl = checkDuration(timeToLive, "Time to live");
		long idle = checkDuration(timeToIdle, "Time to idle");
		Map<String, AttributeValue> item = this.layout.primaryKey(cacheName, key);
		if (ItemLayout.needsDigest(key)) {
			item.put(KEY, AttributeValue.fromS(key));
		}
		if (value == null) {
			item.put(FORMAT, number(ItemLayout.FORMAT_NULL));
		}
		else {
			byte[] bytes = this.codec.encode(value);
			int format = ItemLayout.FORMAT_PLAIN;
			if (bytes.length > this.compressionThreshold) {
				byte[] deflated = Compression.deflate(bytes);
				if (deflated.length < bytes.length) {
					bytes = deflated;
					format = ItemLayout.FORMAT_DEFLATED;
				}
			}
			item.put(FORMAT, number(format));
			item.put(VALUE, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(bytes)));
		}
		item.put(CREATED_AT_MILLIS, number(now));
		if (ttl > 0 || idle > 0) {
			long deadline = (ttl > 0) ? now + ttl : Long.MAX_VALUE;
			long expiresAt = (idle > 0) ? Math.min(deadline, now + idle) : deadline;
			item.put(EXPIRES_AT_MILLIS, number(expiresAt));
			item.put(EXPIRES_AT, number(epochSecondsCeiling(expiresAt)));
			if (idle > 0) {
				item.put(IDLE_MILLIS, number(idle));
				if (ttl > 0) {
					item.put(DEADLINE_MILLIS, number(deadline));
				}
			}
		}
		long size = itemSize(item);
		if (size > MAX_ITEM_BYTES) {
			throw new CacheValueTooLargeException(cacheName, key, size, MAX_ITEM_BYTES);
		}
		return item;
	}

	/**
	 * Turn an item into a live entry for the key, or {@code null} if it is absent, expired, belongs to another
	 * key or cannot be decoded (then it is deleted).
	 */
	private CacheEntry toLiveEntry(String cacheName, String key, Map<String, AttributeValue> item, long now,
			boolean touch) {
		if (!isLive(key, item, now)) {
			return null;
		}
		Object value;
		int storedSize = 0;
		try {
			int format = Integer.parseInt(item.get(FORMAT).n());
			if (format == ItemLayout.FORMAT_NULL) {
				value = null;
			}
			else if (format == ItemLayout.FORMAT_COUNTER) {
				value = Long.valueOf(item.get(ItemLayout.COUNTER).n());
			}
			else {
				byte[] bytes = item.get(VALUE).b().asByteArrayUnsafe();
				storedSize = bytes.length;
				if (format == ItemLayout.FORMAT_DEFLATED) {
					bytes = Compression.inflate(bytes);
				}
				else if (format != ItemLayout.FORMAT_PLAIN) {
					throw new CacheCodecException("Unknown value format " + format, null);
				}
				value = this.codec.decode(bytes);
			}
		}
		catch (RuntimeException ex) {
			// Never log the value; the message names the key and the reason only.
			logger.warn("Evicting undecodable entry '{}' of cache '{}' in table '{}': {}",
					CacheValueTooLargeException.abbreviate(key), cacheName, this.tableName, ex.getMessage());
			evictUndecodable(cacheName, key, item);
			return null;
		}
		Long expiresAt = longValue(item, EXPIRES_AT_MILLIS);
		Long idle = longValue(item, IDLE_MILLIS);
		if (touch && idle != null) {
			expiresAt = touch(cacheName, key, item, now, idle, expiresAt);
		}
		long createdAt = longValue(item, CREATED_AT_MILLIS);
		Long deadline = (idle != null) ? longValue(item, DEADLINE_MILLIS) : longValue(item, EXPIRES_AT_MILLIS);
		return new CacheEntry(key, value, Instant.ofEpochMilli(createdAt),
				(expiresAt != null) ? Instant.ofEpochMilli(expiresAt) : null,
				(deadline != null) ? Duration.ofMillis(deadline - createdAt) : null,
				(idle != null) ? Duration.ofMillis(idle) : null, storedSize);
	}

	/**
	 * Slide the expiry of an idle-expiring entry that was just read; returns the expiry now in force. A read
	 * that would gain less than {@value #IDLE_TOUCH_DIVISOR}th of the idle time writes nothing, so a hot
	 * entry costs at most about {@value #IDLE_TOUCH_DIVISOR} writes per idle period, not one per read; it may
	 * then expire that much earlier than exactly idle time after its last read.
	 */
	private Long touch(String cacheName, String key, Map<String, AttributeValue> item, long now, long idle,
			Long expiresAt) {
		Long deadline = longValue(item, DEADLINE_MILLIS);
		long slid = (deadline != null) ? Math.min(deadline, now + idle) : now + idle;
		if (expiresAt != null && slid - expiresAt < Math.max(1, idle / IDLE_TOUCH_DIVISOR)) {
			return expiresAt;
		}
		try {
			this.client.updateItem((request) -> request.tableName(this.tableName)
				.key(this.layout.primaryKey(cacheName, key))
				.updateExpression("SET #expMs = :expMs, #exp = :exp")
				.conditionExpression("#created = :created AND #expMs > :now")
				.expressionAttributeNames(
						Map.of("#expMs", EXPIRES_AT_MILLIS, "#exp", EXPIRES_AT, "#created", CREATED_AT_MILLIS))
				.expressionAttributeValues(Map.of(":expMs", number(slid), ":exp", number(epochSecondsCeiling(slid)),
						":created", item.get(CREATED_AT_MILLIS), ":now", number(now))));
			return slid;
		}
		catch (ConditionalCheckFailedException ex) {
			// Replaced or removed since the read: the read itself still saw a live entry.
			return expiresAt;
		}
		catch (SdkException ex) {
			logger.warn("Could not extend idle expiry of entry '{}' of cache '{}': {}",
					CacheValueTooLargeException.abbreviate(key), cacheName, ex.getMessage());
			return expiresAt;
		}
	}

	private void evictUndecodable(String cacheName, String key, Map<String, AttributeValue> item) {
		try {
			// Not deleted when already replaced by a new value.
			deleteIfUnchanged(cacheName, key, item);
		}
		catch (SdkException ex) {
			logger.warn("Could not evict undecodable entry '{}' of cache '{}': {}",
					CacheValueTooLargeException.abbreviate(key), cacheName, ex.getMessage());
		}
	}

	private static boolean isLive(String key, Map<String, AttributeValue> item, long now) {
		return item != null && !item.isEmpty() && key.equals(ItemLayout.logicalKey(item)) && !isExpired(item, now);
	}

	private static boolean isExpired(Map<String, AttributeValue> item, long now) {
		Long expiresAt = longValue(item, EXPIRES_AT_MILLIS);
		return expiresAt != null && expiresAt <= now;
	}

	private static Long longValue(Map<String, AttributeValue> item, String attribute) {
		AttributeValue value = item.get(attribute);
		return (value != null && value.n() != null) ? Long.valueOf(value.n()) : null;
	}

	private static AttributeValue number(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

	private static long epochSecondsCeiling(long millis) {
		return Math.floorDiv(millis + 999, 1000);
	}

	private static long itemSize(Map<String, AttributeValue> item) {
		long size = 0;
		for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
			size += attribute.getKey().length();
			AttributeValue value = attribute.getValue();
			if (value.s() != null) {
				size += utf8Length(value.s());
			}
			else if (value.b() != null) {
				size += value.b().asByteArrayUnsafe().length;
			}
			else {
				size += 21;
			}
		}
		return size;
	}

	private static int utf8Length(String text) {
		int length = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length++;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

	private static long checkDuration(Duration duration, String name) {
		if (duration == null) {
			return 0;
		}
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, got " + duration
					+ ": use null or Duration.ZERO for no expiry");
		}
		long millis = duration.toMillis();
		if (!duration.isZero() && millis == 0) {
			throw new IllegalArgumentException(name + " must be at least 1 ms, got " + duration);
		}
		return millis;
	}

	private static void checkCacheName(String cacheName) {
		Objects.requireNonNull(cacheName, "Cache name must not be null");
		if (cacheName.isEmpty()) {
			throw new IllegalArgumentException("Cache name must not be empty");
		}
		if (utf8Length(cacheName) > ItemLayout.MAX_PARTITION_KEY_BYTES - 12) {
			throw new IllegalArgumentException("Cache name must be at most "
					+ (ItemLayout.MAX_PARTITION_KEY_BYTES - 12) + " bytes in UTF-8");
		}
	}

	private static void checkKey(String key) {
		Objects.requireNonNull(key, "Cache key must not be null");
	}

	private <T> T call(String operation, String cacheName, String key, Supplier<T> request) {
		ensureTable();
		try {
			return request.get();
		}
		catch (SdkException ex) {
			throw asStoreException(operation, cacheName, key, ex);
		}
	}

	private DynamoDbCacheException asStoreException(String operation, String cacheName, String key,
			Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof DynamoDbCacheException storeException) {
			return storeException;
		}
		String target = (key != null) ? "key '" + CacheValueTooLargeException.abbreviate(key) + "' of cache '"
				+ cacheName + "'" : "cache '" + cacheName + "'";
		return new DynamoDbCacheException("Could not " + operation + " " + target + " in DynamoDB table '"
				+ this.tableName + "': " + cause.getMessage(), cause);
	}

	@Override
	public String toString() {
		return "DynamoDbCacheStore[table=" + this.tableName + ", shards=" + getShards() + ", consistentReads="
				+ this.consistentReads + ", compressionThreshold=" + this.compressionThreshold + ", codec=" + this.codec
				+ "]";
	}

	/**
	 * Builder of {@link DynamoDbCacheStore}. Defaults: table {@value DynamoDbCacheStore#DEFAULT_TABLE_NAME},
	 * created if missing, {@value DynamoDbCacheStore#DEFAULT_SHARDS} shards, eventually consistent reads,
	 * {@link JacksonValueCodec#create()}, compression above
	 * {@value DynamoDbCacheStore#DEFAULT_COMPRESSION_THRESHOLD} bytes, the UTC system clock.
	 */
	public static final class Builder {

		private final DynamoDbClient client;

		private DynamoDbAsyncClient asyncClient;

		private Executor asyncExecutor = ForkJoinPool.commonPool();

		private String tableName = DEFAULT_TABLE_NAME;

		private boolean createTable = true;

		private int shards = DEFAULT_SHARDS;

		private boolean consistentReads;

		private ValueCodec codec;

		private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;

		private Clock clock = Clock.systemUTC();

		private Builder(DynamoDbClient client) {
			this.client = Objects.requireNonNull(client, "DynamoDbClient must not be null");
		}

		/**
		 * Set an asynchronous client for {@link DynamoDbCacheStore#getEntryAsync} and
		 * {@link DynamoDbCacheStore#putAsync}; without one they run the synchronous client on the async
		 * executor. The store does not close it.
		 * @param asyncClient the asynchronous client, or {@code null}
		 * @return this builder
		 */
		public Builder asyncClient(DynamoDbAsyncClient asyncClient) {
			this.asyncClient = asyncClient;
			return this;
		}

		/**
		 * Set the executor that decodes asynchronously read values. Default: the common fork-join pool.
		 * @param asyncExecutor the executor
		 * @return this builder
		 */
		public Builder asyncExecutor(Executor asyncExecutor) {
			this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "Async executor must not be null");
			return this;
		}

		/**
		 * Set the table name.
		 * @param tableName 3 to 255 characters of {@code A-Z a-z 0-9 _ . -}
		 * @return this builder
		 */
		public Builder tableName(String tableName) {
			Objects.requireNonNull(tableName, "Table name must not be null");
			if (!TABLE_NAME.matcher(tableName).matches()) {
				throw new IllegalArgumentException("Invalid DynamoDB table name '" + tableName
						+ "': use 3 to 255 characters of A-Z, a-z, 0-9, '_', '.' and '-'");
			}
			this.tableName = tableName;
			return this;
		}

		/**
		 * Set whether a missing table is created (on-demand capacity, TTL enabled). Default {@code true}.
		 * @param createTable whether to create the table
		 * @return this builder
		 */
		public Builder createTable(boolean createTable) {
			this.createTable = createTable;
			return this;
		}

		/**
		 * Set the number of partitions each cache is spread over. Part of the data layout: every node sharing
		 * a table must use the same value, and changing it orphans existing entries until they expire.
		 * @param shards 1 to 1024
		 * @return this builder
		 */
		public Builder shards(int shards) {
			if (shards < 1 || shards > 1024) {
				throw new IllegalArgumentException("Shards must be between 1 and 1024, got " + shards);
			}
			this.shards = shards;
			return this;
		}

		/**
		 * Set whether reads are strongly consistent (twice the read cost). Default {@code false}.
		 * @param consistentReads whether to use consistent reads
		 * @return this builder
		 */
		public Builder consistentReads(boolean consistentReads) {
			this.consistentReads = consistentReads;
			return this;
		}

		/**
		 * Set the value codec.
		 * @param codec the codec
		 * @return this builder
		 */
		public Builder codec(ValueCodec codec) {
			this.codec = Objects.requireNonNull(codec, "Codec must not be null");
			return this;
		}

		/**
		 * Set the encoded size in bytes above which values are compressed.
		 * @param compressionThreshold bytes, at least 0; {@link Integer#MAX_VALUE} disables compression
		 * @return this builder
		 */
		public Builder compressionThreshold(int compressionThreshold) {
			if (compressionThreshold < 0) {
				throw new IllegalArgumentException("Compression threshold must not be negative");
			}
			this.compressionThreshold = compressionThreshold;
			return this;
		}

		/**
		 * Set the clock that expiry is computed with (for tests).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "Clock must not be null");
			return this;
		}

		/**
		 * Build the store. Does no I/O: the table is checked on first use or by
		 * {@link DynamoDbCacheStore#ensureTable()}.
		 * @return the store
		 */
		public DynamoDbCacheStore build() {
			if (this.codec == null) {
				this.codec = JacksonValueCodec.create();
			}
			return new DynamoDbCacheStore(this);
		}

	}

}
