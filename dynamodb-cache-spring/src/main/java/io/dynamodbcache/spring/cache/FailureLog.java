package io.dynamodbcache.spring.cache;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs degraded cache operations at WARN at most once per interval per cache (the rest at DEBUG), so that an
 * outage produces a readable log rather than one line per request. Never logs values.
 */
final class FailureLog {

	private static final Log logger = LogFactory.getLog(DynamoDbCache.class);

	private static final long INTERVAL_NANOS = 10_000_000_000L;

	private final String cacheName;

	private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());

	private final AtomicLong suppressed = new AtomicLong();

	FailureLog(String cacheName) {
		this.cacheName = cacheName;
	}

	void unsupportedKey(RuntimeException failure) {
		logger.warn("DynamoDB cache '" + this.cacheName + "' does not cache keys of this type; calls with them go "
				+ "to the method every time: " + failure.getMessage());
	}

	void valueNotCached(RuntimeException failure) {
		logger.warn("DynamoDB cache '" + this.cacheName + "' does not cache values of this kind; calls that return "
				+ "them go to the method every time: " + failure.getMessage());
	}

	void degraded(String operation, RuntimeException failure) {
		long now = System.nanoTime();
		long next = this.nextWarnAt.get();
		if (now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + INTERVAL_NANOS)) {
			long skipped = this.suppressed.getAndSet(0);
			logger.warn("DynamoDB cache '" + this.cacheName + "' could not " + operation + " and carried on without it"
					+ ((skipped > 0) ? " (" + skipped + " similar failures since the last warning)" : "") + ": "
					+ failure.getMessage());
		}
		else {
			this.suppressed.incrementAndGet();
			if (logger.isDebugEnabled()) {
				logger.debug("DynamoDB cache '" + this.cacheName + "' could not " + operation, failure);
			}
		}
	}

}
