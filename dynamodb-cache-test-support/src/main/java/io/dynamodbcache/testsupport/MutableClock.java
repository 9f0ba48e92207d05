package io.dynamodbcache.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that tests move by hand, so that expiry can be tested without sleeping. Thread-safe.
 */
public final class MutableClock extends Clock {

	private volatile Instant now;

	/**
	 * Create a clock at the given instant.
	 * @param start the initial instant
	 */
	public MutableClock(Instant start) {
		this.now = start;
	}

	/**
	 * Create a clock at the current system time.
	 * @return the clock
	 */
	public static MutableClock startingNow() {
		return new MutableClock(Instant.now());
	}

	/**
	 * Move the clock forward.
	 * @param amount how far
	 */
	public synchronized void advance(Duration amount) {
		this.now = this.now.plus(amount);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("MutableClock is always UTC");
	}

	@Override
	public Instant instant() {
		return this.now;
	}

}
