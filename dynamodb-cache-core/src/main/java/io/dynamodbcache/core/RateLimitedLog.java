package io.dynamodbcache.core;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs a recurring warning at WARN at most once per interval, the rest at DEBUG, and says how many it held
 * back, so that a table full of bad items or a long outage makes a readable log rather than a line per
 * request. Callers never pass values or item content.
 */
final class RateLimitedLog {

	static final long INTERVAL_NANOS = 10_000_000_000L;

	private final Logger logger;

	private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	RateLimitedLog(Logger logger) {
		this.logger = logger;
	}

	/** Log a warning; the arguments fill the message's {@code {}} placeholders. */
	void warn(String message, Object... arguments) {
		long now = System.nanoTime();
		long next = this.nextWarnAt.get();
		if (now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + INTERVAL_NANOS)) {
			long skipped = this.suppressed.getAndSet(0);
			this.logger.warn((skipped > 0) ? message + " (" + skipped + " more like it since the last warning)" : message,
					arguments);
		}
		else {
			this.suppressed.incrementAndGet();
			this.logger.debug(message, arguments);
		}
	}

}
