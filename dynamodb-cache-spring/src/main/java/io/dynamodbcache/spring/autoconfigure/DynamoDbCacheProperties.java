package io.dynamodbcache.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.RequestBudget;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the DynamoDB cache, under {@code dynamodb.cache}. The properties validate
 * themselves when Boot binds them: a bad value fails startup with Boot's report that names the property and
 * the value as written, and where it was set. A setter refuses a bad value with an
 * {@link IllegalArgumentException}.
 */
@ConfigurationProperties("dynamodb.cache")
public class DynamoDbCacheProperties implements Validator {

	/**
	 * Whether to auto-configure the DynamoDB cache manager.
	 */
	private boolean enabled = true;

	/**
	 * Name of the DynamoDB table that holds every cache.
	 */
	private String tableName = DynamoDbCacheStore.DEFAULT_TABLE_NAME;

	/**
	 * Whether to create the table (on-demand capacity, TTL enabled) when it does not exist.
	 */
	private boolean createTable = true;

	/**
	 * AWS region of the table. Defaults to the AWS region provider chain (AWS_REGION, profile, instance
	 * metadata), or us-east-1 when an endpoint is set.
	 */
	private @Nullable String region;

	/**
	 * Endpoint of DynamoDB, for DynamoDB Local or a VPC endpoint. Defaults to the region's endpoint.
	 */
	private @Nullable URI endpoint;

	/**
	 * Static credentials. Leave unset to use the AWS default credentials provider chain (environment,
	 * profile, web identity, ECS or EC2 instance role).
	 */
	private final Credentials credentials = new Credentials();

	/**
	 * Time-to-live of entries. Unset or zero for no expiry.
	 */
	private @Nullable Duration timeToLive;

	/**
	 * Time without reads after which an entry expires. Every read moves the deadline, never past the
	 * time-to-live.
	 */
	private @Nullable Duration timeToIdle;

	/**
	 * Whether to cache null values.
	 */
	private boolean cacheNullValues = true;

	/**
	 * Prefix of cache names in the table, so that several applications can share one table.
	 */
	private String keyPrefix = "";

	/**
	 * Whether to use strongly consistent reads (twice the read cost).
	 */
	private boolean consistentRead;

	/**
	 * Names of caches to create at startup.
	 */
	private List<String> cacheNames = new ArrayList<>();

	/**
	 * Whether caches not configured up front are created when first used.
	 */
	private boolean createMissingCaches = true;

	/**
	 * Number of partitions each cache is spread over. Every node sharing a table must use the same value.
	 */
	private int shards = DynamoDbCacheStore.DEFAULT_SHARDS;

	/**
	 * Packages whose types may be cached, besides the application's auto-configuration packages (the package
	 * of the @SpringBootApplication class) and JDK value types.
	 */
	private List<String> allowedPackages = new ArrayList<>();

	/**
	 * Single types that may be cached besides those, by fully qualified class name, for example JDK types
	 * that are not allowed by default. Allow only types that are safe to instantiate from stored data.
	 */
	private List<String> allowedTypes = new ArrayList<>();

	/**
	 * JSON library that encodes cached values: 'jackson' (Jackson 3) or 'jackson2' (Jackson 2). Both write and
	 * read the same format, so services on either share one table. By default Jackson 3 on Spring Boot 4 and
	 * Jackson 2 on Spring Boot 3.
	 */
	private @Nullable Codec codec;

	/**
	 * Encoded size up to which values are never compressed. Larger ones are compressed when that makes
	 * DynamoDB bill fewer write units (one per started KB of the item); 0 lets the billed units alone decide.
	 */
	private DataSize compressionThreshold = DataSize.ofBytes(DynamoDbCacheStore.DEFAULT_COMPRESSION_THRESHOLD);

	/**
	 * Largest encoded size of a value, before compression. Larger values are refused on write; stored
	 * values that would decompress beyond it are a miss.
	 */
	private DataSize maxValueSize = DataSize.ofBytes(DynamoDbCacheStore.DEFAULT_MAX_VALUE_SIZE);

	/**
	 * Longest time the application's shutdown waits for evictions and clears that DynamoDB has not confirmed:
	 * until it does, other nodes serve what they removed. Shutdown waits only while there are such evictions;
	 * what is still unconfirmed then is logged at error level.
	 */
	private Duration closeTimeout = DynamoDbCacheStore.DEFAULT_CLOSE_TIMEOUT;

	/**
	 * Whether log lines and error messages show cache keys as they are, for debugging. By default they show a
	 * fingerprint of each key (the same for the same key), since keys often hold session ids, tokens or
	 * personal data.
	 */
	private boolean logKeys;

	/**
	 * Time budget of every DynamoDB request.
	 */
	private final Request request = new Request();

	/**
	 * Circuit breaker that skips DynamoDB after repeated timeouts, connection failures or server errors
	 * (throttling does not count: it is a hot partition's, not the table's).
	 */
	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	/**
	 * Local copy, in each JVM, of what its caches read, kept in step across JVMs through the table's
	 * DynamoDB Stream.
	 */
	private final NearCache nearCache = new NearCache();

	/**
	 * Whether DynamoDB failures are thrown to the caller. By default reads degrade to misses and writes
	 * are dropped, with a warning.
	 */
	private boolean strict;

	/**
	 * Whether puts and evictions wait for the surrounding transaction to commit.
	 */
	private boolean transactionAware;

	/**
	 * Lease time of cross-node load locks for @Cacheable(sync = true). Unset to load once per JVM only.
	 */
	private @Nullable Duration loadLease;

	/**
	 * Per-cache overrides, by cache name. Caches listed here are created at startup.
	 */
	private Map<String, CacheSpec> caches = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTableName() {
		return this.tableName;
	}

	public void setTableName(String tableName) {
		this.tableName = PropertiesValidation.tableName(tableName);
	}

	public boolean isCreateTable() {
		return this.createTable;
	}

	public void setCreateTable(boolean createTable) {
		this.createTable = createTable;
	}

	public @Nullable String getRegion() {
		return this.region;
	}

	public void setRegion(@Nullable String region) {
		this.region = region;
	}

	public @Nullable URI getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable URI endpoint) {
		this.endpoint = endpoint;
	}

	public Credentials getCredentials() {
		return this.credentials;
	}

	public @Nullable Duration getTimeToLive() {
		return this.timeToLive;
	}

	public void setTimeToLive(@Nullable Duration timeToLive) {
		this.timeToLive = PropertiesValidation.expiry(timeToLive);
	}

	public @Nullable Duration getTimeToIdle() {
		return this.timeToIdle;
	}

	public void setTimeToIdle(@Nullable Duration timeToIdle) {
		this.timeToIdle = PropertiesValidation.expiry(timeToIdle);
	}

	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	public void setCacheNullValues(boolean cacheNullValues) {
		this.cacheNullValues = cacheNullValues;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public boolean isConsistentRead() {
		return this.consistentRead;
	}

	public void setConsistentRead(boolean consistentRead) {
		this.consistentRead = consistentRead;
	}

	public List<String> getCacheNames() {
		return this.cacheNames;
	}

	public void setCacheNames(List<String> cacheNames) {
		this.cacheNames = cacheNames;
	}

	public boolean isCreateMissingCaches() {
		return this.createMissingCaches;
	}

	public void setCreateMissingCaches(boolean createMissingCaches) {
		this.createMissingCaches = createMissingCaches;
	}

	public int getShards() {
		return this.shards;
	}

	public void setShards(int shards) {
		this.shards = PropertiesValidation.between(shards, 1, 1024);
	}

	public List<String> getAllowedPackages() {
		return this.allowedPackages;
	}

	public void setAllowedPackages(List<String> allowedPackages) {
		this.allowedPackages = allowedPackages;
	}

	public List<String> getAllowedTypes() {
		return this.allowedTypes;
	}

	public void setAllowedTypes(List<String> allowedTypes) {
		this.allowedTypes = allowedTypes;
	}

	public @Nullable Codec getCodec() {
		return this.codec;
	}

	public void setCodec(@Nullable Codec codec) {
		this.codec = codec;
	}

	public DataSize getCompressionThreshold() {
		return this.compressionThreshold;
	}

	public void setCompressionThreshold(DataSize compressionThreshold) {
		this.compressionThreshold = PropertiesValidation.notNegative(compressionThreshold);
	}

	public boolean isLogKeys() {
		return this.logKeys;
	}

	public void setLogKeys(boolean logKeys) {
		this.logKeys = logKeys;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = PropertiesValidation.notNegative(closeTimeout, "zero stops at once");
	}

	public DataSize getMaxValueSize() {
		return this.maxValueSize;
	}

	public void setMaxValueSize(DataSize maxValueSize) {
		this.maxValueSize = PropertiesValidation.between(maxValueSize, DataSize.ofKilobytes(1),
				DataSize.ofGigabytes(2));
	}

	public Request getRequest() {
		return this.request;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public NearCache getNearCache() {
		return this.nearCache;
	}

	/** Whether any cache has a near cache: all of them, or some by their own setting. */
	boolean isNearCacheInUse() {
		return this.nearCache.isEnabled()
				|| this.caches.values().stream().anyMatch((spec) -> Boolean.TRUE.equals(spec.getNearCache()));
	}

	public boolean isStrict() {
		return this.strict;
	}

	public void setStrict(boolean strict) {
		this.strict = strict;
	}

	public boolean isTransactionAware() {
		return this.transactionAware;
	}

	public void setTransactionAware(boolean transactionAware) {
		this.transactionAware = transactionAware;
	}

	public @Nullable Duration getLoadLease() {
		return this.loadLease;
	}

	public void setLoadLease(@Nullable Duration loadLease) {
		this.loadLease = PropertiesValidation.positiveOrUnset(loadLease);
	}

	public Map<String, CacheSpec> getCaches() {
		return this.caches;
	}

	public void setCaches(Map<String, CacheSpec> caches) {
		this.caches = caches;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DynamoDbCacheProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		PropertiesValidation.validate((DynamoDbCacheProperties) target, errors);
	}

	/**
	 * Static AWS credentials. Never logged.
	 */
	public static class Credentials {

		/**
		 * AWS access key id.
		 */
		private @Nullable String accessKeyId;

		/**
		 * AWS secret access key.
		 */
		private @Nullable String secretAccessKey;

		public @Nullable String getAccessKeyId() {
			return this.accessKeyId;
		}

		public void setAccessKeyId(@Nullable String accessKeyId) {
			this.accessKeyId = accessKeyId;
		}

		public @Nullable String getSecretAccessKey() {
			return this.secretAccessKey;
		}

		public void setSecretAccessKey(@Nullable String secretAccessKey) {
			this.secretAccessKey = secretAccessKey;
		}

		@Override
		public String toString() {
			return "Credentials[accessKeyId=" + ((this.accessKeyId != null) ? "******" : null) + ", secretAccessKey="
					+ ((this.secretAccessKey != null) ? "******" : null) + "]";
		}

	}

	/**
	 * Overrides of one cache; unset values fall back to the global ones.
	 */
	public static class CacheSpec {

		/**
		 * Time-to-live of entries of this cache. Zero for no expiry.
		 */
		private @Nullable Duration timeToLive;

		/**
		 * Time without reads after which an entry of this cache expires.
		 */
		private @Nullable Duration timeToIdle;

		/**
		 * Whether this cache stores null values.
		 */
		private @Nullable Boolean cacheNullValues;

		/**
		 * Lease time of cross-node load locks of this cache.
		 */
		private @Nullable Duration loadLease;

		/**
		 * Whether this cache has a near cache; unset to follow dynamodb.cache.near-cache.enabled.
		 */
		private @Nullable Boolean nearCache;

		public @Nullable Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(@Nullable Duration timeToLive) {
			this.timeToLive = PropertiesValidation.expiry(timeToLive);
		}

		public @Nullable Duration getTimeToIdle() {
			return this.timeToIdle;
		}

		public void setTimeToIdle(@Nullable Duration timeToIdle) {
			this.timeToIdle = PropertiesValidation.expiry(timeToIdle);
		}

		public @Nullable Boolean getCacheNullValues() {
			return this.cacheNullValues;
		}

		public void setCacheNullValues(@Nullable Boolean cacheNullValues) {
			this.cacheNullValues = cacheNullValues;
		}

		public @Nullable Duration getLoadLease() {
			return this.loadLease;
		}

		public void setLoadLease(@Nullable Duration loadLease) {
			this.loadLease = PropertiesValidation.positiveOrUnset(loadLease);
		}

		public @Nullable Boolean getNearCache() {
			return this.nearCache;
		}

		public void setNearCache(@Nullable Boolean nearCache) {
			this.nearCache = nearCache;
		}

	}

	/**
	 * Time budget of every DynamoDB request: a cache's answer is worth something only while it comes sooner
	 * than the origin's.
	 */
	public static class Request {

		/**
		 * Longest time one HTTP attempt may take.
		 */
		private Duration attemptTimeout = RequestBudget.DEFAULT.attemptTimeout();

		/**
		 * Longest time a whole call may take, retries and backoff included.
		 */
		private Duration apiCallTimeout = RequestBudget.DEFAULT.apiCallTimeout();

		/**
		 * Most attempts of one call, the first included.
		 */
		private int maxAttempts = RequestBudget.DEFAULT_MAX_ATTEMPTS;

		public Duration getAttemptTimeout() {
			return this.attemptTimeout;
		}

		public void setAttemptTimeout(Duration attemptTimeout) {
			this.attemptTimeout = PropertiesValidation.positive(attemptTimeout);
		}

		public Duration getApiCallTimeout() {
			return this.apiCallTimeout;
		}

		public void setApiCallTimeout(Duration apiCallTimeout) {
			this.apiCallTimeout = PropertiesValidation.between(apiCallTimeout, Duration.ofMillis(1),
					RequestBudget.MAX_API_CALL_TIMEOUT);
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = PropertiesValidation.between(maxAttempts, 1, 10);
		}

		RequestBudget toBudget() {
			try {
				return new RequestBudget(this.attemptTimeout, this.apiCallTimeout, this.maxAttempts);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid dynamodb.cache.request.* settings: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * Near cache: a bounded local copy of what each cache read, in front of DynamoDB.
	 */
	public static class NearCache {

		/**
		 * Whether caches keep a near cache. Needs com.github.ben-manes.caffeine:caffeine.
		 */
		private boolean enabled;

		/**
		 * Most entries each cache keeps locally.
		 */
		private long maximumSize = NearCacheSettings.DEFAULT_MAXIMUM_SIZE;

		/**
		 * Longest a local copy is served after it was read from DynamoDB: the staleness bound when the
		 * stream lags or cannot be read.
		 */
		private Duration timeToLive = NearCacheSettings.DEFAULT_TIME_TO_LIVE;

		/**
		 * Whether to drop local copies of keys other JVMs wrote: one JVM of the fleet, elected with a lease,
		 * reads the table's stream and relays the changed keys through an invalidation feed in the table, which
		 * every JVM reads. The stream is enabled on the table (keys only) when it has none and create-table is
		 * true.
		 */
		private boolean streamInvalidation = true;

		/**
		 * Pause between two reads of the invalidation feed (one Query each), the main part of how long other
		 * JVMs' writes take to reach this JVM's near caches; the JVM that reads the stream reads it four times
		 * as often.
		 */
		private Duration streamPollInterval = DynamoDbCacheStoreBuilder.DEFAULT_STREAM_POLL_INTERVAL;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = PropertiesValidation.atLeast(maximumSize, 1);
		}

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = PropertiesValidation.positive(timeToLive);
		}

		public boolean isStreamInvalidation() {
			return this.streamInvalidation;
		}

		public void setStreamInvalidation(boolean streamInvalidation) {
			this.streamInvalidation = streamInvalidation;
		}

		public Duration getStreamPollInterval() {
			return this.streamPollInterval;
		}

		public void setStreamPollInterval(Duration streamPollInterval) {
			this.streamPollInterval = PropertiesValidation.between(streamPollInterval, Duration.ofMillis(50),
					Duration.ofMinutes(1));
		}

		NearCacheSettings toSettings() {
			try {
				return new NearCacheSettings(this.maximumSize, this.timeToLive);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid dynamodb.cache.near-cache.* settings: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * Circuit breaker of the cache's DynamoDB requests.
	 */
	public static class CircuitBreaker {

		/**
		 * Percentage of failed requests, among the recent ones, at which the breaker opens.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Number of recent requests the failure rate is computed over.
		 */
		private int slidingWindowSize = 10;

		/**
		 * Fewest recent requests before the failure rate counts.
		 */
		private int minimumNumberOfCalls = 5;

		/**
		 * Time the breaker stays open before the store's probe sends its trial requests.
		 */
		private Duration waitDurationInOpenState = Duration.ofSeconds(1);

		/**
		 * Number of trial requests (the store's probe sends them, never callers) that decide whether the
		 * breaker closes again.
		 */
		private int permittedNumberOfCallsInHalfOpenState = 2;

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = PropertiesValidation.percentage(failureRateThreshold);
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = PropertiesValidation.atLeast(slidingWindowSize, 1);
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = PropertiesValidation.atLeast(minimumNumberOfCalls, 1);
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = PropertiesValidation.positive(waitDurationInOpenState);
		}

		public int getPermittedNumberOfCallsInHalfOpenState() {
			return this.permittedNumberOfCallsInHalfOpenState;
		}

		public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
			this.permittedNumberOfCallsInHalfOpenState = PropertiesValidation
				.atLeast(permittedNumberOfCallsInHalfOpenState, 1);
		}

		CircuitBreakerConfig toConfig() {
			try {
				return CircuitBreakerConfig.custom()
					.failureRateThreshold(this.failureRateThreshold)
					.slidingWindowSize(this.slidingWindowSize)
					.minimumNumberOfCalls(this.minimumNumberOfCalls)
					.waitDurationInOpenState(this.waitDurationInOpenState)
					.permittedNumberOfCallsInHalfOpenState(this.permittedNumberOfCallsInHalfOpenState)
					.writableStackTraceEnabled(false)
					.build();
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"Invalid dynamodb.cache.circuit-breaker.* settings: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * JSON libraries that can encode cached values, in one shared format.
	 */
	public enum Codec {

		/** Jackson 3 ({@code tools.jackson}), the JSON library of Spring Boot 4. */
		JACKSON,

		/** Jackson 2 ({@code com.fasterxml.jackson}), the JSON library of Spring Boot 3. */
		JACKSON2

	}

}
