package io.dynamodbcache.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The expiry rules of entries, as pure functions of epoch milliseconds: the expiry an entry is written with,
 * when it counts as expired, how far a read slides an idle-expiring entry and when that slide is worth a
 * write, and DynamoDB's TTL attribute in epoch seconds.
 * <p>
 * An entry with a time-to-live has an absolute deadline; an entry with a time-to-idle expires that long
 * after its last read, but never past its deadline. Expiry compares against the clock of the node that
 * reads: nodes whose clocks differ see an entry expire that much apart.
 */
final class ExpiryRules {

	/**
	 * A read that would move an idle deadline by less than this fraction of the idle time writes nothing, so
	 * a hot entry costs at most about this many writes per idle period, not one per read. The entry may then
	 * expire up to that fraction earlier than exactly idle time after its last read.
	 */
	static final int IDLE_TOUCH_DIVISOR = 20;

	private ExpiryRules() {
	}

	/**
	 * Return a duration in milliseconds, 0 for none.
	 * @throws IllegalArgumentException if it is negative or positive but under 1 ms
	 */
	static long millis(@Nullable Duration duration, String name) {
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

	/**
	 * The absolute deadline of an entry written at {@code now}: {@code now + ttl}, or {@link Long#MAX_VALUE}
	 * without a time-to-live.
	 */
	static long deadline(long now, long ttl) {
		return (ttl > 0) ? now + ttl : Long.MAX_VALUE;
	}

	/**
	 * The expiry in force for an entry written at {@code now}, or {@code null} if it never expires.
	 */
	static @Nullable Long initialExpiry(long now, long ttl, long idle) {
		if (ttl <= 0 && idle <= 0) {
			return null;
		}
		long deadline = deadline(now, ttl);
		return (idle > 0) ? Math.min(deadline, now + idle) : deadline;
	}

	static boolean isExpired(@Nullable Long expiresAt, long now) {
		return expiresAt != null && expiresAt <= now;
	}

	/**
	 * The expiry an idle-expiring entry should get after a read at {@code now}, or {@code null} when the read
	 * gains too little to be worth a write (see {@link #IDLE_TOUCH_DIVISOR}).
	 * @param deadline the entry's absolute deadline, or {@code null} if it has no time-to-live
	 * @param expiresAt the expiry in force, or {@code null} if none is recorded
	 */
	static @Nullable Long slidExpiry(long now, long idle, @Nullable Long deadline, @Nullable Long expiresAt) {
		long slid = (deadline != null) ? Math.min(deadline, now + idle) : now + idle;
		if (expiresAt != null && slid - expiresAt < Math.max(1, idle / IDLE_TOUCH_DIVISOR)) {
			return null;
		}
		return slid;
	}

	/**
	 * DynamoDB's TTL attribute for an expiry: epoch seconds, rounded up so that DynamoDB never deletes an
	 * entry before it expires.
	 */
	static long epochSecondsCeiling(long millis) {
		return Math.floorDiv(millis + 999, 1000);
	}

}
