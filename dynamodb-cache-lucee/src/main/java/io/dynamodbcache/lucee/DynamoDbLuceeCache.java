package io.dynamodbcache.lucee;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import io.dynamodbcache.core.CacheCodecException;
import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.ClientSettings;
import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.UnconfirmedEvictionException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;
import io.dynamodbcache.core.NearCacheListener;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.RequestBudget;
import lucee.commons.io.cache.CacheEntryFilter;
import lucee.commons.io.cache.CacheKeyFilter;
import lucee.commons.io.cache.CachePro;
import lucee.commons.io.cache.exp.CacheException;
import lucee.commons.io.log.Log;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.cache.tag.CacheItem;
import lucee.runtime.config.Config;
import lucee.runtime.type.Struct;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A Lucee cache on Amazon DynamoDB: set this class as the {@code class} of a cache connection.
 * <p>
 * Custom settings (case-insensitive): {@code table} (alias {@code tableName}), {@code accessKeyId},
 * {@code secretkey}, {@code region}, {@code host} (alias {@code endpoint}; a host without scheme is fine),
 * {@code liveTimeout} (milliseconds per DynamoDB call), {@code log} (Lucee log name), {@code consistentRead},
 * {@code timeToLiveSeconds}, {@code timeToIdleSeconds} (defaults for {@code cachePut} without timespans),
 * {@code createTable}, {@code cacheName}, {@code shards} and {@code strict}. Without keys the AWS default
 * credentials chain is used (environment, profile, EC2/ECS role).
 * <p>
 * Reads that fail because DynamoDB cannot be reached are misses for the default-value forms and errors for
 * the throwing forms; failed writes are logged (thrown with {@code strict=true}). Values that cannot be
 * stored (components, values over DynamoDB's item limit) are always an error.
 */
public class DynamoDbLuceeCache implements CachePro {

	private static final String LOG_APPLICATION = "dynamodb-cache";

	private static final Duration INIT_WAIT = Duration.ofSeconds(30);

	private LuceeCacheSettings settings;

	private DynamoDbClient client;

	private volatile @Nullable DynamoDbCacheStore store;

	/** The store without the near cache, which owns the stream reader that {@link #release()} stops. */
	private @Nullable DynamoDbCacheStore plainStore;

	private @Nullable DynamoDbStreamsClient streams;

	private final CountDownLatch initialized = new CountDownLatch(1);

	private @Nullable Log log;

	private final EntryHits entryHits = new EntryHits();

	/** The client's timeout scheduler, shut down with it in {@link #release()}. */
	private final ScheduledExecutorService timeouts = RequestBudget.newTimeoutScheduler();

	private final AtomicLong hits = new AtomicLong();

	private final NearCacheCounts nearCacheCounts = new NearCacheCounts();

	private final AtomicLong misses = new AtomicLong();

	/** The kinds of Lucee cache items that were refused, each warned about once. */
	private final Set<String> refusedItemKinds = ConcurrentHashMap.newKeySet();

	/** Created by Lucee, which then calls {@link #init(Config, String, Struct)}. */
	public DynamoDbLuceeCache() {
	}

	@Override
	public void init(Config config, String cacheName, Struct arguments) throws IOException {
		try {
			// The log first: what reading the settings and building the store log through SLF4J goes there too.
			this.log = (config != null) ? config.getLog(LuceeCacheSettings.logName(arguments)) : null;
			if (this.log != null) {
				LuceeLogs.add(this, this.log);
			}
			this.settings = LuceeCacheSettings.from(cacheName, arguments);
			this.client = configure(DynamoDbClient.builder(), this.settings, this.timeouts);
			DynamoDbCacheStoreBuilder builder = DynamoDbCacheStore.builder(this.client)
				.tableName(this.settings.tableName())
				.createTable(this.settings.createTable())
				.consistentReads(this.settings.consistentReads())
				.shards(this.settings.shards())
				.requestBudget(this.settings.requestBudget())
				.maxValueSize(this.settings.maxValueSize())
				.closeTimeout(this.settings.closeTimeout())
				.logKeys(this.settings.logKeys())
				.codec(new LuceeValueCodec());
			NearCacheSettings nearCache = this.settings.nearCache();
			if (nearCache != null) {
				builder.nearCacheListener(this.nearCacheCounts);
			}
			if (nearCache != null && this.settings.streamInvalidation()) {
				this.streams = configure(DynamoDbStreamsClient.builder(), this.settings, this.timeouts);
				builder.streamsClient(this.streams).streamPollInterval(this.settings.streamPollInterval());
			}
			DynamoDbCacheStore store = builder.build();
			this.plainStore = store;
			this.store = (nearCache != null) ? store.withNearCache(nearCache) : store;
		}
		catch (IllegalArgumentException ex) {
			throw new CacheException(ex.getMessage());
		}
		finally {
			if (this.store == null) {
				// A connection that failed to start keeps no log: Lucee may try a bad connection again and again.
				LuceeLogs.remove(this);
			}
			// Requests that got this instance before init returned wait for it, and fail at once if it failed.
			this.initialized.countDown();
		}
		info("Cache [" + cacheName + "] uses " + this.settings);
	}

	/**
	 * The store, once {@link #init} has made it: Lucee may hand a new connection's instance to concurrent
	 * requests (cfthreads) before its {@code init} has returned.
	 */
	/**
	 * A key as this connection's log lines and error messages show it: a fingerprint, unless the connection's
	 * {@code logKeys} setting asks for keys (they often hold session ids).
	 */
	private String keyText(String key) {
		DynamoDbCacheStore current = this.store;
		return (current != null) ? current.describeKey(key) : "#?";
	}

	private DynamoDbCacheStore store() {
		DynamoDbCacheStore store = this.store;
		if (store != null) {
			return store;
		}
		try {
			if (this.initialized.await(INIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) && this.store != null) {
				return this.store;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IllegalStateException("Cache [" + ((this.settings != null) ? this.settings.connectionName() : "?")
				+ "] is not initialized: see the log for why its connection could not be set up");
	}

	/**
	 * Build the DynamoDB client, or the client of the table's stream, from the connection's settings. They use
	 * the deprecated ApacheHttpClient: its successor Apache5HttpClient cannot initialize inside Lucee's OSGi
	 * container, because Apache HttpClient 5 needs the JDK's jdk.net package, which Lucee does not export to
	 * bundles.
	 */
	@SuppressWarnings("deprecation")
	private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder,
			LuceeCacheSettings settings, ScheduledExecutorService timeouts) {
		builder.httpClientBuilder(ApacheHttpClient.builder());
		try {
			new ClientSettings(settings.region(), settings.endpoint(), settings.accessKeyId(), settings.secretKey())
				.applyTo(builder);
		}
		catch (ClientSettings.MissingSettingException ex) {
			// Restate the problem in terms of the cache connection's custom settings.
			String fix = (ex.getSetting() == ClientSettings.Setting.REGION)
					? "Set the cache connection's 'region' setting (for example eu-west-1), or AWS_REGION, or 'host' "
							+ "for DynamoDB Local"
					: "Set the cache connection's 'accessKeyId' and 'secretkey' settings, or give this server AWS "
							+ "credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role)";
			throw new IllegalStateException(fix + ": " + ex.getMessage(), ex);
		}
		// Attempts are the client's retry strategy; the store sets the timeouts on every request.
		builder.overrideConfiguration((override) -> override.retryStrategy(settings.requestBudget().retryStrategy())
			.scheduledExecutorService(timeouts));
		return builder.build();
	}

	private String name() {
		return this.settings.cacheName();
	}

	@Override
	public lucee.commons.io.cache.CacheEntry getCacheEntry(String key) throws IOException {
		CacheEntry entry;
		try {
			entry = read(key);
		}
		catch (DynamoDbCacheException ex) {
			error("read " + keyText(key), ex);
			throw new CacheException("Cache [" + this.settings.connectionName() + "] could not read key " + keyText(key)
					+ " from DynamoDB table [" + this.settings.tableName() + "]: " + ex.getMessage());
		}
		if (entry == null) {
			throw new CacheException("There is no entry in cache [" + this.settings.connectionName()
					+ "] with key [" + key + "]");
		}
		return toLucee(entry);
	}

	@Override
	public lucee.commons.io.cache.@Nullable CacheEntry getCacheEntry(String key,
			lucee.commons.io.cache.@Nullable CacheEntry defaultValue) {
		try {
			CacheEntry entry = read(key);
			return (entry != null) ? toLucee(entry) : defaultValue;
		}
		catch (DynamoDbCacheException ex) {
			error("read " + keyText(key), ex);
			return defaultValue;
		}
	}

	@Override
	public Object getValue(String key) throws IOException {
		return getCacheEntry(key).getValue();
	}

	@Override
	public @Nullable Object getValue(String key, @Nullable Object defaultValue) {
		lucee.commons.io.cache.CacheEntry entry = getCacheEntry(key, null);
		return (entry != null) ? entry.getValue() : defaultValue;
	}

	private @Nullable CacheEntry read(String key) {
		CacheEntry entry = store().getEntry(name(), key);
		if (entry == null) {
			this.misses.incrementAndGet();
		}
		else {
			this.hits.incrementAndGet();
		}
		return entry;
	}

	private LuceeCacheEntry toLucee(CacheEntry entry) {
		return new LuceeCacheEntry(entry, this.entryHits.hit(entry.key(), System.currentTimeMillis()));
	}

	@Override
	public void put(String key, @Nullable Object value, @Nullable Long idleTime, @Nullable Long until) throws IOException {
		DynamoDbCacheStore store = store();
		Duration timeToLive = (until == null) ? this.settings.timeToLive() : positiveMillis(until);
		Duration timeToIdle = (idleTime == null) ? this.settings.timeToIdle() : positiveMillis(idleTime);
		try {
			// Like Lucee's RamCache, an overwrite keeps the entry's creation time and its hit count.
			store.putKeepingCreationTime(name(), key, value, timeToLive, timeToIdle);
		}
		catch (CacheCodecException | io.dynamodbcache.core.CacheValueTooLargeException ex) {
			if (value instanceof CacheItem) {
				notCachedForLucee(key, value, ex);
				return;
			}
			logRefusalOncePerKind(value, ex);
			throw cannotStore(key, ex);
		}
		catch (DynamoDbCacheException ex) {
			writeFailed("write " + keyText(key), ex);
		}
	}

	/**
	 * Lucee's own caching (a function's cachedWithin, an include) must never fail the page: what cannot be stored
	 * is not cached, with one warning per kind of item, and an older entry under the key is removed so that it
	 * cannot come back in place of this result.
	 */
	private void notCachedForLucee(String key, Object item, RuntimeException ex) {
		logRefusalOncePerKind(item, ex);
		try {
			store().delete(name(), key);
		}
		catch (DynamoDbCacheException evictFailed) {
			error("remove " + keyText(key) + " after a refused write", evictFailed);
		}
	}

	/**
	 * One line per kind of refused value from Lucee's own code, which may ignore the error (Lucee's ram://
	 * provider ignores a failed put of its root directory): the log says why. At error level, because Lucee's
	 * default configuration writes only errors to the application log, and once per kind, so it cannot flood.
	 */
	private void logRefusalOncePerKind(Object value, RuntimeException ex) {
		if (value != null && value.getClass().getName().startsWith("lucee.")
				&& this.refusedItemKinds.add(value.getClass().getName()) && this.log != null) {
			String instead = (value instanceof CacheItem) ? " (Lucee runs the code every time instead)" : "";
			this.log.error(LOG_APPLICATION, "Cache [" + this.settings.connectionName() + "] does not cache this "
					+ value.getClass().getSimpleName() + instead + ": " + ex.getMessage());
		}
	}

	/**
	 * Atomically add to a counter and return its new value (one conditional write, never lost between
	 * servers); backs {@code DynamoDBCacheIncrement}. A missing or expired counter starts from zero and lives
	 * for the window: later increments do not extend it.
	 * @param key the key, as Lucee passes it (upper case)
	 * @param delta the amount to add
	 * @param windowMillis how long a new counter lives, {@code null} or {@code 0} for ever
	 * @return the value after the increment
	 * @throws CacheException if DynamoDB cannot be reached (a counter never degrades to a guess), or the key
	 * holds a value that is not a counter
	 */
	public long increment(String key, long delta, @Nullable Long windowMillis) throws CacheException {
		try {
			this.entryHits.forget(key);
			return store().increment(name(), key, delta, (windowMillis != null) ? positiveMillis(windowMillis) : null);
		}
		catch (DynamoDbCacheException ex) {
			error("increment " + keyText(key), ex);
			throw atomicFailed("increment", key, ex);
		}
		catch (IllegalStateException ex) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] cannot increment key " + keyText(key)
					+ "]: it holds a value that is not a counter, which is kept; remove it first, or count under "
					+ "another key");
		}
	}

	/**
	 * Store a value only if the key has no live entry, atomically across servers; backs
	 * {@code DynamoDBCacheAdd}.
	 * @param key the key, as Lucee passes it (upper case)
	 * @param value the value
	 * @param timeToLiveMillis how long the entry lives, {@code null} for the connection's default, {@code 0}
	 * for ever
	 * @return whether the value was stored
	 * @throws CacheException if DynamoDB cannot be reached or the value cannot be stored
	 */
	public boolean add(String key, @Nullable Object value, @Nullable Long timeToLiveMillis) throws CacheException {
		DynamoDbCacheStore store = store();
		Duration timeToLive = (timeToLiveMillis == null) ? this.settings.timeToLive() : positiveMillis(timeToLiveMillis);
		try {
			boolean added = store.putIfAbsent(name(), key, value, timeToLive, null) == null;
			if (added) {
				this.entryHits.forget(key);
			}
			return added;
		}
		catch (CacheCodecException | io.dynamodbcache.core.CacheValueTooLargeException ex) {
			throw cannotStore(key, ex);
		}
		catch (DynamoDbCacheException ex) {
			error("add " + keyText(key), ex);
			throw atomicFailed("add", key, ex);
		}
	}

	/**
	 * Remove an entry only if it still holds the given value, atomically across servers; backs
	 * {@code DynamoDBCacheDeleteIfValue}, the release of a lock taken with {@link #add}.
	 * @param key the key, as Lucee passes it (upper case)
	 * @param value the value the entry must hold
	 * @return whether the entry was removed
	 * @throws CacheException if DynamoDB cannot be reached
	 */
	public boolean deleteIfValue(String key, Object value) throws CacheException {
		try {
			boolean removed = store().deleteIfValue(name(), key, value);
			if (removed) {
				this.entryHits.forget(key);
			}
			return removed;
		}
		catch (CacheCodecException ex) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] cannot compare key " + keyText(key)
					+ "]: " + ex.getMessage());
		}
		catch (DynamoDbCacheException ex) {
			error("delete " + keyText(key) + " if it holds a value", ex);
			throw atomicFailed("delete", key, ex);
		}
	}

	private CacheException cannotStore(String key, RuntimeException ex) {
		return new CacheException("Cache [" + this.settings.connectionName() + "] cannot store key " + keyText(key) + ": "
				+ ex.getMessage());
	}

	private CacheException atomicFailed(String operation, String key, DynamoDbCacheException ex) {
		return new CacheException("Cache [" + this.settings.connectionName() + "] could not " + operation + " key "
				+ keyText(key) + " in DynamoDB table [" + this.settings.tableName() + "], so it cannot tell the outcome: "
				+ ex.getMessage());
	}

	private static @Nullable Duration positiveMillis(long millis) {
		return (millis > 0) ? Duration.ofMillis(millis) : null;
	}

	@Override
	public boolean contains(String key) throws IOException {
		try {
			return store().containsKey(name(), key);
		}
		catch (DynamoDbCacheException ex) {
			error("check " + keyText(key), ex);
			return false;
		}
	}

	@Override
	public boolean remove(String key) throws IOException {
		try {
			this.entryHits.forget(key);
			return store().deleteIfPresent(name(), key);
		}
		catch (DynamoDbCacheException ex) {
			writeFailed("remove " + keyText(key), ex);
			return false;
		}
	}

	/**
	 * Remove several keys; Lucee calls this for {@code cacheRemove} with an array of ids.
	 * @param keys the keys
	 * @return the number of entries removed
	 * @throws IOException in strict mode, if DynamoDB fails
	 */
	public int remove(String[] keys) throws IOException {
		int removed = 0;
		for (String key : keys) {
			if (remove(key)) {
				removed++;
			}
		}
		return removed;
	}

	@Override
	public int remove(@Nullable CacheKeyFilter filter) throws IOException {
		try {
			this.entryHits.clear();
			return store().clear(name(), keyPredicate(filter));
		}
		catch (DynamoDbCacheException ex) {
			writeFailed("clear", ex);
			return 0;
		}
	}

	@Override
	public int remove(@Nullable CacheEntryFilter filter) throws IOException {
		return remove(keys(filter).toArray(String[]::new));
	}

	@Override
	public List<String> keys() throws IOException {
		return keys((CacheKeyFilter) null);
	}

	@Override
	public List<String> keys(@Nullable CacheKeyFilter filter) throws IOException {
		try {
			return store().keys(name(), keyPredicate(filter));
		}
		catch (DynamoDbCacheException ex) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] could not list keys: "
					+ ex.getMessage());
		}
	}

	@Override
	public List<String> keys(@Nullable CacheEntryFilter filter) throws IOException {
		return collect(entries(filter), lucee.commons.io.cache.CacheEntry::getKey);
	}

	@Override
	public List<Object> values() throws IOException {
		return values((CacheKeyFilter) null);
	}

	@Override
	public List<Object> values(@Nullable CacheKeyFilter filter) throws IOException {
		return collect(entries(filter), lucee.commons.io.cache.CacheEntry::getValue);
	}

	@Override
	public List<Object> values(@Nullable CacheEntryFilter filter) throws IOException {
		return collect(entries(filter), lucee.commons.io.cache.CacheEntry::getValue);
	}

	private static <T> List<T> collect(List<lucee.commons.io.cache.CacheEntry> entries,
			Function<lucee.commons.io.cache.CacheEntry, T> part) {
		List<T> parts = new ArrayList<>(entries.size());
		entries.forEach((entry) -> parts.add(part.apply(entry)));
		return parts;
	}

	@Override
	public List<lucee.commons.io.cache.CacheEntry> entries() throws IOException {
		return entries((CacheKeyFilter) null);
	}

	@Override
	public List<lucee.commons.io.cache.CacheEntry> entries(@Nullable CacheKeyFilter filter) throws IOException {
		List<String> keys = keys(filter);
		try {
			Map<String, CacheEntry> entries = store().getAll(name(), keys);
			List<lucee.commons.io.cache.CacheEntry> result = new ArrayList<>(entries.size());
			entries.values().forEach((entry) -> result.add(new LuceeCacheEntry(entry, this.entryHits.get(entry.key()))));
			return result;
		}
		catch (DynamoDbCacheException ex) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] could not read entries: "
					+ ex.getMessage());
		}
	}

	@Override
	public List<lucee.commons.io.cache.CacheEntry> entries(@Nullable CacheEntryFilter filter) throws IOException {
		List<lucee.commons.io.cache.CacheEntry> result = new ArrayList<>();
		for (lucee.commons.io.cache.CacheEntry entry : entries()) {
			if (filter == null || filter.accept(entry)) {
				result.add(entry);
			}
		}
		return result;
	}

	@Override
	public long hitCount() {
		return this.hits.get();
	}

	@Override
	public long missCount() {
		return this.misses.get();
	}

	@Override
	public Struct getCustomInfo() {
		Struct info = CFMLEngineFactory.getInstance().getCreationUtil().createStruct();
		info.setEL("table", this.settings.tableName());
		info.setEL("cacheName", name());
		info.setEL("region", String.valueOf(this.settings.region()));
		info.setEL("endpoint", String.valueOf(this.settings.endpoint()));
		info.setEL("shards", this.settings.shards());
		info.setEL("hitCount", hitCount());
		info.setEL("missCount", missCount());
		if (this.settings.nearCache() != null) {
			info.setEL("nearCacheHits", this.nearCacheCounts.hits.get());
			info.setEL("nearCacheMisses", this.nearCacheCounts.misses.get());
			info.setEL("nearCacheReadingStream", store().isReadingStream());
		}
		return info;
	}

	@Override
	public int clear() throws IOException {
		return remove((CacheKeyFilter) null);
	}

	@Override
	public void verify() throws CacheException {
		try {
			store().ensureTable();
			store().containsKey(name(), "verify");
		}
		catch (DynamoDbCacheException ex) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] cannot reach DynamoDB table ["
					+ this.settings.tableName() + "]: " + ex.getMessage());
		}
	}

	@Override
	public CachePro decouple() {
		// Every read decodes a fresh copy: values are never shared with other callers.
		return this;
	}

	/**
	 * Close the DynamoDB client; Lucee calls this by reflection when the connection is removed.
	 */
	public void release() {
		if (this.plainStore != null) {
			this.plainStore.close();
		}
		if (this.streams != null) {
			this.streams.close();
		}
		if (this.client != null) {
			this.client.close();
		}
		this.timeouts.shutdownNow();
		// Last: closing the store may log the evictions DynamoDB never confirmed.
		LuceeLogs.remove(this);
	}

	private static Predicate<String> keyPredicate(@Nullable CacheKeyFilter filter) {
		return (filter == null) ? (key) -> true : filter::accept;
	}

	private void writeFailed(String operation, DynamoDbCacheException ex) throws CacheException {
		error(operation, ex);
		if (ex instanceof UnconfirmedEvictionException) {
			// Never reported as done, strict or not: other servers could still read the old value until the
			// store's retry lands. Unchecked, because cacheRemove drops the IOExceptions of a cache's remove.
			throw new UnconfirmedEvictionException("Cache [" + this.settings.connectionName() + "] could not "
					+ operation + ": " + ex.getMessage(), ex);
		}
		if (this.settings.strict()) {
			throw new CacheException("Cache [" + this.settings.connectionName() + "] could not " + operation + ": "
					+ ex.getMessage());
		}
	}

	private void error(String operation, Exception ex) {
		if (this.log != null) {
			this.log.error(LOG_APPLICATION, "Cache [" + this.settings.connectionName() + "] could not " + operation
					+ ": " + ex.getMessage());
		}
	}

	private void info(String message) {
		if (this.log != null) {
			this.log.info(LOG_APPLICATION, message);
		}
	}

	/** Reads this connection's near cache answered, and those it passed on to DynamoDB. */
	private static final class NearCacheCounts implements NearCacheListener {

		private final AtomicLong hits = new AtomicLong();

		private final AtomicLong misses = new AtomicLong();

		@Override
		public void hit(String cacheName) {
			this.hits.incrementAndGet();
		}

		@Override
		public void miss(String cacheName) {
			this.misses.incrementAndGet();
		}

	}

}
