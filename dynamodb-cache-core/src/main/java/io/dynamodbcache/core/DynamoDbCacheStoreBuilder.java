package io.dynamodbcache.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Builder of {@link DynamoDbCacheStore}, from {@link DynamoDbCacheStore#builder(DynamoDbClient)}. Defaults:
 * table {@value DynamoDbCacheStore#DEFAULT_TABLE_NAME}, created if missing, {@value DynamoDbCacheStore#DEFAULT_SHARDS} shards, eventually consistent reads,
 * {@link JacksonValueCodec#create()}, compression whenever it lowers the billed write units, values up to
 * {@value DynamoDbCacheStore#DEFAULT_MAX_VALUE_SIZE} bytes decoded, {@link RequestBudget#DEFAULT}, a circuit
 * breaker that opens after repeated failures, the UTC system clock.
 */
public final class DynamoDbCacheStoreBuilder {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

	private final DynamoDbClient client;

	private @Nullable DynamoDbAsyncClient asyncClient;

	private Executor asyncExecutor = ForkJoinPool.commonPool();

	private String tableName = DynamoDbCacheStore.DEFAULT_TABLE_NAME;

	private boolean createTable = true;

	private int shards = DynamoDbCacheStore.DEFAULT_SHARDS;

	private boolean consistentReads;

	private @Nullable ValueCodec codec;

	private DynamoDbRequestListener requestListener = DynamoDbRequestListener.none();

	private RequestBudget requestBudget = RequestBudget.DEFAULT;

	private Duration closeTimeout = DynamoDbCacheStore.DEFAULT_CLOSE_TIMEOUT;

	private boolean logKeys;

	private CircuitBreakerConfig circuitBreaker = CircuitBreakers.defaultConfig();

	private int maxValueSize = DynamoDbCacheStore.DEFAULT_MAX_VALUE_SIZE;

	private int compressionThreshold = DynamoDbCacheStore.DEFAULT_COMPRESSION_THRESHOLD;

	private Clock clock = Clock.systemUTC();

	private @Nullable DynamoDbStreamsClient streamsClient;

	private Duration streamPollInterval = DEFAULT_STREAM_POLL_INTERVAL;

	private NearCacheListener nearCacheListener = NearCacheListener.none();

	/** How often each shard of the table's stream is read when nothing else is configured. */
	public static final Duration DEFAULT_STREAM_POLL_INTERVAL = Duration.ofSeconds(1);

	DynamoDbCacheStoreBuilder(DynamoDbClient client) {
		this.client = Objects.requireNonNull(client, "DynamoDbClient must not be null");
	}

	/**
	 * Set an asynchronous client for {@link DynamoDbCacheStore#getEntryAsync} and
	 * {@link DynamoDbCacheStore#putAsync}; without one they run the synchronous client on the async
	 * executor. The store does not close it.
	 * @param asyncClient the asynchronous client, or {@code null}
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder asyncClient(@Nullable DynamoDbAsyncClient asyncClient) {
		this.asyncClient = asyncClient;
		return this;
	}

	/**
	 * Set the executor that decodes asynchronously read values. Default: the common fork-join pool.
	 * @param asyncExecutor the executor
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder asyncExecutor(Executor asyncExecutor) {
		this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "Async executor must not be null");
		return this;
	}

	/**
	 * Set the table name.
	 * @param tableName 3 to 255 characters of {@code A-Z a-z 0-9 _ . -}
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder tableName(String tableName) {
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
	public DynamoDbCacheStoreBuilder createTable(boolean createTable) {
		this.createTable = createTable;
		return this;
	}

	/**
	 * Set the number of partitions each cache is spread over. Part of the data layout: every node sharing
	 * a table must use the same value, and changing it orphans existing entries until they expire.
	 * @param shards 1 to 1024
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder shards(int shards) {
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
	public DynamoDbCacheStoreBuilder consistentReads(boolean consistentReads) {
		this.consistentReads = consistentReads;
		return this;
	}

	/**
	 * Set the value codec. By default {@link JacksonValueCodec} when Jackson 2 is on the class path, else
	 * {@link Jackson3ValueCodec} (the same format), allowing JDK value types only.
	 * @param codec the codec
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder codec(ValueCodec codec) {
		this.codec = Objects.requireNonNull(codec, "Codec must not be null");
		return this;
	}

	/**
	 * Set the encoded size in bytes up to which values are never compressed. Larger values are compressed when
	 * that makes DynamoDB bill fewer write units for the item (one per started KB), and stored as they are
	 * otherwise. Default {@value DynamoDbCacheStore#DEFAULT_COMPRESSION_THRESHOLD}: the billed units alone
	 * decide.
	 * @param compressionThreshold bytes, at least 0; {@link Integer#MAX_VALUE} disables compression
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder compressionThreshold(int compressionThreshold) {
		if (compressionThreshold < 0) {
			throw new IllegalArgumentException("Compression threshold must not be negative");
		}
		this.compressionThreshold = compressionThreshold;
		return this;
	}

	/**
	 * Set a listener that is told of every DynamoDB request the store makes (for metrics or request
	 * counting). Default: none.
	 * @param requestListener the listener
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder requestListener(DynamoDbRequestListener requestListener) {
		this.requestListener = Objects.requireNonNull(requestListener, "Request listener must not be null");
		return this;
	}

	/**
	 * Set the time budget of every DynamoDB request. Default: {@link RequestBudget#DEFAULT}.
	 * @param requestBudget the budget
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder requestBudget(RequestBudget requestBudget) {
		this.requestBudget = Objects.requireNonNull(requestBudget, "Request budget must not be null");
		return this;
	}

	/**
	 * Set whether log lines and exception messages show cache keys as they are, for debugging. Keys are often
	 * session ids, tokens or personal data, so by default they show a fingerprint of the key instead
	 * ({@code #} and 10 hex digits of its SHA-256: the same for the same key). Default: {@code false}.
	 * @param logKeys whether to show keys as they are
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder logKeys(boolean logKeys) {
		this.logKeys = logKeys;
		return this;
	}

	/**
	 * Set how long {@link DynamoDbCacheStore#close()} retries evictions and clears that DynamoDB has not
	 * confirmed before it gives up on them: other nodes serve what they removed until it is confirmed, or until
	 * the entries' time-to-live ends. Closing waits only while there are such evictions. Default:
	 * {@link DynamoDbCacheStore#DEFAULT_CLOSE_TIMEOUT}.
	 * @param closeTimeout the longest wait, zero or more
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder closeTimeout(Duration closeTimeout) {
		Objects.requireNonNull(closeTimeout, "Close timeout must not be null");
		if (closeTimeout.isNegative()) {
			throw new IllegalArgumentException("Close timeout must be zero or more, was " + closeTimeout);
		}
		this.closeTimeout = closeTimeout;
		return this;
	}

	/**
	 * Set the settings of the store's circuit breaker. Only timeouts, connection failures and server errors
	 * count as failures, whatever the settings say; throttling is ignored. Default: open when at least half of
	 * the last 10 requests (5 at the least) failed; after each second open, the store's own probe sends 2 trial
	 * requests (callers' requests are refused while it is open or half-open) and closes it when they succeed.
	 * @param circuitBreaker the Resilience4j circuit breaker settings
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
		this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "Circuit breaker settings must not be null");
		return this;
	}

	/**
	 * Set the largest a value may be once encoded and decompressed. Writes of larger values are refused;
	 * stored values that would decompress beyond it are a miss, and decompression stops there, so that no
	 * stored item can make a read allocate more. Default
	 * {@value DynamoDbCacheStore#DEFAULT_MAX_VALUE_SIZE} bytes.
	 * @param maxValueSize bytes, at least 1 KiB
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder maxValueSize(int maxValueSize) {
		if (maxValueSize < 1024) {
			throw new IllegalArgumentException("Max value size must be at least 1024 bytes, got " + maxValueSize);
		}
		this.maxValueSize = maxValueSize;
		return this;
	}

	/**
	 * Set the clock that expiry is computed with (for tests).
	 * @param clock the clock
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "Clock must not be null");
		return this;
	}

	/**
	 * Read the table's stream with this client, to drop the {@linkplain DynamoDbCacheStore#withNearCache near
	 * caches'} copies of keys that other JVMs write. Without one, near caches hear only of this JVM's writes
	 * and serve other JVMs' replaced values for up to their time-to-live. The store does not close the client.
	 * @param streamsClient the DynamoDB Streams client, for the table's region and account
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder streamsClient(@Nullable DynamoDbStreamsClient streamsClient) {
		this.streamsClient = streamsClient;
		return this;
	}

	/**
	 * Set how long this JVM waits between two reads of the table's invalidation feed: the main part of the time
	 * other JVMs' writes take to reach this JVM's near caches. Each read is one eventually consistent Query
	 * (half a read request unit while nothing changed). The one JVM of the fleet that reads the stream reads it
	 * four times per interval (one GetRecords request per shard each time), so the stream has one reader
	 * whatever the size of the fleet. Default 1 second.
	 * @param streamPollInterval the pause between reads, from 50 ms to 1 minute
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder streamPollInterval(Duration streamPollInterval) {
		Objects.requireNonNull(streamPollInterval, "Stream poll interval must not be null");
		if (streamPollInterval.compareTo(Duration.ofMillis(50)) < 0
				|| streamPollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException(
					"Stream poll interval must be between 50 ms and 1 minute, got " + streamPollInterval);
		}
		this.streamPollInterval = streamPollInterval;
		return this;
	}

	/**
	 * Tell a listener what the near caches do: hits, misses, invalidations and invalidation lag.
	 * @param nearCacheListener the listener
	 * @return this builder
	 */
	public DynamoDbCacheStoreBuilder nearCacheListener(NearCacheListener nearCacheListener) {
		this.nearCacheListener = Objects.requireNonNull(nearCacheListener, "Near cache listener must not be null");
		return this;
	}

	/**
	 * Build the store. Does no I/O: the table is checked on first use or by
	 * {@link DynamoDbCacheStore#ensureTable()}.
	 * @return the store
	 */
	public DynamoDbCacheStore build() {
		ClientTimeoutTasks.removeCancelled(this.client);
		ClientTimeoutTasks.removeCancelled(this.asyncClient);
		ClientTimeoutTasks.removeCancelled(this.streamsClient);
		ValueCodec codec = (this.codec != null) ? this.codec : DefaultValueCodec.create();
		KeyLogging keyLogging = new KeyLogging(this.logKeys);
		ItemLayout layout = new ItemLayout(this.shards, keyLogging);
		RequestPath path = new RequestPath(this.tableName, this.requestListener, this.requestBudget,
				CircuitBreakers.forTable(this.tableName, this.circuitBreaker), keyLogging);
		TableClient table = new TableClient(this.client,
				AsyncAccess.of(this.asyncClient, this.client, this.asyncExecutor), path, this.createTable,
				this.consistentReads);
		return new DynamoDbCacheStore(table, layout, new ItemMapper(layout, codec, this.compressionThreshold,
				this.maxValueSize), this.clock, new ShardScan(table, layout, this.clock),
				new NearCaching(this.streamsClient, table, this.clock, this.streamPollInterval, this.nearCacheListener),
				NearCache.NONE, null, this.closeTimeout);
	}

}
