package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.Objects;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.ValueCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.ConverterRegistry;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.util.Assert;

/**
 * Immutable configuration of one {@link DynamoDbCache}: every {@code with...} method returns a new instance.
 *
 * <pre class="code">
 * DynamoDbCacheConfiguration config = DynamoDbCacheConfiguration.defaultCacheConfig()
 *     .entryTtl(Duration.ofMinutes(10))
 *     .disableCachingNullValues();
 * </pre>
 */
public final class DynamoDbCacheConfiguration {

	private final TtlFunction ttlFunction;

	private final @Nullable Duration timeToIdle;

	private final boolean cacheNullValues;

	private final String cacheNamePrefix;

	private final @Nullable ValueCodec codec;

	private final ConversionService conversionService;

	private final @Nullable Duration loadLease;

	private final @Nullable NearCacheSettings nearCache;

	private DynamoDbCacheConfiguration(TtlFunction ttlFunction, @Nullable Duration timeToIdle, boolean cacheNullValues,
			String cacheNamePrefix, @Nullable ValueCodec codec, ConversionService conversionService,
			@Nullable Duration loadLease, @Nullable NearCacheSettings nearCache) {
		this.ttlFunction = ttlFunction;
		this.timeToIdle = timeToIdle;
		this.cacheNullValues = cacheNullValues;
		this.cacheNamePrefix = cacheNamePrefix;
		this.codec = codec;
		this.conversionService = conversionService;
		this.loadLease = loadLease;
		this.nearCache = nearCache;
	}

	/**
	 * Return the default configuration: no expiry, {@code null} values cached, no cache name prefix, the
	 * store's codec, keys converted with a {@link DefaultFormattingConversionService}, no cross-node load
	 * lease, no near cache.
	 * @return the default configuration
	 */
	public static DynamoDbCacheConfiguration defaultCacheConfig() {
		DefaultFormattingConversionService conversionService = new DefaultFormattingConversionService();
		registerDefaultConverters(conversionService);
		return new DynamoDbCacheConfiguration(TtlFunction.persistent(), null, true, "", null, conversionService, null,
				null);
	}

	/**
	 * Register the key converters the default configuration uses: {@link SimpleKey} to its
	 * {@code toString()}.
	 * @param registry the registry to add them to
	 */
	public static void registerDefaultConverters(ConverterRegistry registry) {
		Assert.notNull(registry, "ConverterRegistry must not be null");
		registry.addConverter(SimpleKey.class, String.class, SimpleKey::toString);
	}

	/**
	 * Return a copy in which every entry lives for the given time.
	 * @param ttl the time-to-live; {@link Duration#ZERO} for no expiry
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration entryTtl(Duration ttl) {
		return entryTtl(TtlFunction.just(ttl));
	}

	/**
	 * Return a copy in which each entry's time-to-live is computed from its key and value.
	 * @param ttlFunction the function
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration entryTtl(TtlFunction ttlFunction) {
		Assert.notNull(ttlFunction, "TtlFunction must not be null");
		return new DynamoDbCacheConfiguration(ttlFunction, this.timeToIdle, this.cacheNullValues, this.cacheNamePrefix,
				this.codec, this.conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy in which entries expire after the given time without reads (every read moves the
	 * deadline, never past the time-to-live).
	 * @param timeToIdle the idle time; {@code null} or {@link Duration#ZERO} for none
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration timeToIdle(@Nullable Duration timeToIdle) {
		Assert.isTrue(timeToIdle == null || !timeToIdle.isNegative(), "Time to idle must not be negative");
		Duration idle = (timeToIdle == null || timeToIdle.isZero()) ? null : timeToIdle;
		return new DynamoDbCacheConfiguration(this.ttlFunction, idle, this.cacheNullValues, this.cacheNamePrefix,
				this.codec, this.conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy that refuses {@code null} values: a {@code null} put throws and tells how to skip it.
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration disableCachingNullValues() {
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, false, this.cacheNamePrefix,
				this.codec, this.conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy whose cache names are prefixed in the table, so that several applications can share a
	 * table without their caches meeting.
	 * @param prefix the prefix, for example {@code "orders-service:"}
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration prefixCacheNameWith(String prefix) {
		Assert.notNull(prefix, "Prefix must not be null");
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues, prefix,
				this.codec, this.conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy whose values are encoded with the given codec instead of the store's.
	 * @param codec the codec
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration withCodec(ValueCodec codec) {
		Assert.notNull(codec, "Codec must not be null");
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues,
				this.cacheNamePrefix, codec, this.conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy that converts non-{@code String} keys with the given service.
	 * @param conversionService the conversion service
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration withConversionService(ConversionService conversionService) {
		Assert.notNull(conversionService, "ConversionService must not be null");
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues,
				this.cacheNamePrefix, this.codec, conversionService, this.loadLease, this.nearCache);
	}

	/**
	 * Return a copy in which a synchronized {@code get(key, loader)} ({@code @Cacheable(sync = true)}) that
	 * misses takes a lease in the table before loading, so that N nodes missing the same key load it once:
	 * the others wait for the value (at most the lease time, then load themselves).
	 * @param leaseTime how long a lease holds; longer than the slowest load
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration enableDistributedLoadLease(Duration leaseTime) {
		Assert.notNull(leaseTime, "Lease time must not be null");
		Assert.isTrue(!leaseTime.isNegative() && !leaseTime.isZero(), "Lease time must be positive");
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues,
				this.cacheNamePrefix, this.codec, this.conversionService, leaseTime, this.nearCache);
	}

	/**
	 * Return a copy whose reads are answered from a near cache when they can: a bounded local copy of what
	 * this JVM read, dropped at once by this JVM's writes and by other JVMs' writes read from the table's
	 * stream, and never served longer than the settings' time-to-live. Needs Caffeine on the class path.
	 * @param settings the near cache's bounds
	 * @return a new configuration
	 * @see DynamoDbCacheStore#withNearCache(NearCacheSettings)
	 */
	public DynamoDbCacheConfiguration enableNearCache(NearCacheSettings settings) {
		Assert.notNull(settings, "Near cache settings must not be null");
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues,
				this.cacheNamePrefix, this.codec, this.conversionService, this.loadLease, settings);
	}

	/**
	 * Return a copy without a near cache: every read goes to DynamoDB.
	 * @return a new configuration
	 */
	public DynamoDbCacheConfiguration disableNearCache() {
		return new DynamoDbCacheConfiguration(this.ttlFunction, this.timeToIdle, this.cacheNullValues,
				this.cacheNamePrefix, this.codec, this.conversionService, this.loadLease, null);
	}

	/**
	 * Return the function that computes time-to-live.
	 * @return the function
	 */
	public TtlFunction getTtlFunction() {
		return this.ttlFunction;
	}

	/**
	 * Return the idle time after which unread entries expire.
	 * @return the idle time, or {@code null} for none
	 */
	public @Nullable Duration getTimeToIdle() {
		return this.timeToIdle;
	}

	/**
	 * Whether {@code null} values are cached.
	 * @return {@code true} if they are
	 */
	public boolean getAllowCacheNullValues() {
		return this.cacheNullValues;
	}

	/**
	 * Return the prefix of cache names in the table.
	 * @return the prefix, empty for none
	 */
	public String getCacheNamePrefix() {
		return this.cacheNamePrefix;
	}

	/**
	 * Return the codec of this cache's values.
	 * @return the codec, or {@code null} for the store's own
	 */
	public @Nullable ValueCodec getCodec() {
		return this.codec;
	}

	/**
	 * Return the service that converts keys to strings.
	 * @return the conversion service
	 */
	public ConversionService getConversionService() {
		return this.conversionService;
	}

	/**
	 * Return the cross-node load lease time.
	 * @return the lease time, or {@code null} if loads are single-flight within one JVM only
	 */
	public @Nullable Duration getLoadLease() {
		return this.loadLease;
	}

	/**
	 * Return the bounds of the near cache.
	 * @return the settings, or {@code null} if reads always go to DynamoDB
	 */
	public @Nullable NearCacheSettings getNearCache() {
		return this.nearCache;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || other instanceof DynamoDbCacheConfiguration that
				&& this.cacheNullValues == that.cacheNullValues && this.ttlFunction.equals(that.ttlFunction)
				&& Objects.equals(this.timeToIdle, that.timeToIdle) && this.cacheNamePrefix.equals(that.cacheNamePrefix)
				&& Objects.equals(this.codec, that.codec) && this.conversionService.equals(that.conversionService)
				&& Objects.equals(this.loadLease, that.loadLease) && Objects.equals(this.nearCache, that.nearCache);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.ttlFunction, this.timeToIdle, this.cacheNullValues, this.cacheNamePrefix);
	}

	@Override
	public String toString() {
		return "DynamoDbCacheConfiguration[ttl=" + this.ttlFunction + ", timeToIdle=" + this.timeToIdle
				+ ", cacheNullValues=" + this.cacheNullValues + ", cacheNamePrefix='" + this.cacheNamePrefix
				+ "', loadLease=" + this.loadLease + ", nearCache=" + this.nearCache + "]";
	}

}
