package io.dynamodbcache.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A live entry read from the store: the value and what the store knows about it.
 *
 * @param key the key the entry was stored under
 * @param value the value, may be {@code null} when a {@code null} was stored
 * @param createdAt when the value was written
 * @param expiresAt when the entry expires (for an idle-expiring entry: the current deadline, moved by
 * every read), or {@code null} if it never expires
 * @param timeToLive the time-to-live the entry was written with, or {@code null} if none
 * @param timeToIdle the idle time after which an unread entry expires, or {@code null} if none
 * @param storedSize the size in bytes of the stored value after encoding and compression
 * @param firstCreatedAt when the key was first written: kept across overwrites by
 * {@link DynamoDbCacheStore#putKeepingCreationTime}, else the same as {@code createdAt}
 */
public record CacheEntry(String key, Object value, Instant createdAt, Instant expiresAt, Duration timeToLive,
		Duration timeToIdle, int storedSize, Instant firstCreatedAt) {

	/**
	 * An entry whose key was first written when its value was.
	 * @param key the key the entry was stored under
	 * @param value the value, may be {@code null}
	 * @param createdAt when the value was written
	 * @param expiresAt when the entry expires, or {@code null}
	 * @param timeToLive the time-to-live, or {@code null}
	 * @param timeToIdle the time-to-idle, or {@code null}
	 * @param storedSize the stored size in bytes
	 */
	public CacheEntry(String key, Object value, Instant createdAt, Instant expiresAt, Duration timeToLive,
			Duration timeToIdle, int storedSize) {
		this(key, value, createdAt, expiresAt, timeToLive, timeToIdle, storedSize, createdAt);
	}

	@Override
	public String toString() {
		// Never print the value: it may be sensitive.
		return "CacheEntry[key=" + this.key + ", createdAt=" + this.createdAt + ", expiresAt=" + this.expiresAt
				+ ", timeToLive=" + this.timeToLive + ", timeToIdle=" + this.timeToIdle + ", storedSize=" + this.storedSize
				+ ", firstCreatedAt=" + this.firstCreatedAt + "]";
	}

}
