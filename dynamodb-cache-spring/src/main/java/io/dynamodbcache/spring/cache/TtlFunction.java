package io.dynamodbcache.spring.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Computes the time-to-live of a cache entry from its key and value.
 *
 * @see DynamoDbCacheConfiguration#entryTtl(TtlFunction)
 */
@FunctionalInterface
public interface TtlFunction {

	/**
	 * Return the time-to-live of an entry.
	 * @param key the cache key as passed to the cache
	 * @param value the value, {@code null} for a cached {@code null}
	 * @return the time-to-live; {@link Duration#ZERO} for no expiry
	 */
	Duration getTimeToLive(Object key, @Nullable Object value);

	/**
	 * Return a function that gives every entry the same time-to-live.
	 * @param ttl the time-to-live; {@link Duration#ZERO} for no expiry
	 * @return the function
	 */
	static TtlFunction just(Duration ttl) {
		Assert.notNull(ttl, "TTL must not be null");
		Assert.isTrue(!ttl.isNegative(), "TTL must not be negative: use Duration.ZERO for no expiry");
		return new FixedTtlFunction(ttl);
	}

	/**
	 * Return a function under which entries never expire.
	 * @return the function
	 */
	static TtlFunction persistent() {
		return just(Duration.ZERO);
	}

	/** Fixed TTL, kept as a record so that configurations compare and print nicely. */
	record FixedTtlFunction(Duration ttl) implements TtlFunction {

		@Override
		public Duration getTimeToLive(Object key, @Nullable Object value) {
			return this.ttl;
		}

	}

}
