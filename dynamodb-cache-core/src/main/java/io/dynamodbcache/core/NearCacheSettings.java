package io.dynamodbcache.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a near cache: a local copy, in this JVM, of the entries its caches read from DynamoDB
 * ({@link DynamoDbCacheStore#withNearCache}).
 * <p>
 * A local copy is dropped at once when this JVM writes, evicts or clears its key, and within about a second
 * when another JVM does, if the table's stream is read ({@link DynamoDbCacheStoreBuilder#streamsClient}).
 * Whatever happens to the stream, a copy is never served longer than {@code timeToLive} after it was read
 * from DynamoDB, nor past the entry's own expiry: that is the staleness bound when the stream lags, is
 * throttled or cannot be read.
 *
 * @param maximumSize how many entries each cache keeps locally at most (least recently and frequently used
 * ones go first)
 * @param timeToLive the longest a local copy is served after it was read from DynamoDB
 */
public record NearCacheSettings(long maximumSize, Duration timeToLive) {

	/** Local entries per cache when none is configured. */
	public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

	/** Staleness bound when none is configured. */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(10);

	/** The default bounds: 10,000 entries per cache, served for at most 10 seconds. */
	public static final NearCacheSettings DEFAULT = new NearCacheSettings(DEFAULT_MAXIMUM_SIZE, DEFAULT_TIME_TO_LIVE);

	/**
	 * Check the bounds.
	 * @throws IllegalArgumentException if the size is below 1 or the time-to-live is not positive
	 */
	public NearCacheSettings {
		Objects.requireNonNull(timeToLive, "Near cache time to live must not be null");
		if (maximumSize < 1) {
			throw new IllegalArgumentException("Near cache maximum size must be at least 1, got " + maximumSize);
		}
		if (timeToLive.isNegative() || timeToLive.isZero()) {
			throw new IllegalArgumentException("Near cache time to live must be positive, got " + timeToLive);
		}
	}

}
