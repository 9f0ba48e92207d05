package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.jspecify.annotations.Nullable;

/**
 * A cross-node load lease: before loading a missing value, a node takes a lease on the key in DynamoDB (a
 * conditional write that expires by itself), so that one node loads while the others wait for its result.
 * A waiter backs off exponentially, reads the entry after each pause, and loads itself when the give-up time
 * has passed. Every lease carries a token of its own, and a release deletes the lease only while it still
 * holds that token: a node whose lease expired mid-load cannot release the lease of the next holder.
 * <p>
 * If DynamoDB cannot be asked for a lease, the node loads without one (unless strict).
 */
final class LoadLease {

	private static final String NODE_ID = UUID.randomUUID().toString();

	private static final AtomicLong leaseCounter = new AtomicLong();

	private final LeaseStore store;

	private final Settings settings;

	private final FailurePolicy failures;

	LoadLease(LeaseStore store, Settings settings, FailurePolicy failures) {
		this.store = store;
		this.settings = settings;
		this.failures = failures;
	}

	/**
	 * Load under the lease of the key, or wait for the node that holds it.
	 * @param loadAndStore loads the value and stores it in the cache
	 * @param readBack reads the entry that another node may have stored meanwhile
	 * @return the value loaded here or elsewhere
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Nullable Object load(String key, Supplier<@Nullable Object> loadAndStore,
			Supplier<@Nullable CacheEntry> readBack) throws InterruptedException {
		String token = NODE_ID + "/" + leaseCounter.incrementAndGet();
		long giveUpAt = System.nanoTime() + this.settings.giveUpAfter().toNanos();
		long pause = this.settings.initialBackoff().toMillis();
		while (true) {
			Acquired acquired = acquire(key, token);
			if (acquired != Acquired.TAKEN_BY_ANOTHER) {
				try {
					return loadAndStore.get();
				}
				finally {
					if (acquired == Acquired.HELD) {
						release(key, token);
					}
				}
			}
			Thread.sleep(pause);
			pause = Math.min(this.settings.maxBackoff().toMillis(), pause * 2);
			CacheEntry loadedElsewhere = readBack.get();
			if (loadedElsewhere != null) {
				return loadedElsewhere.value();
			}
			if (System.nanoTime() - giveUpAt > 0) {
				return loadAndStore.get();
			}
		}
	}

	private Acquired acquire(String key, String token) {
		try {
			return this.store.tryAcquire(key, token, this.settings.leaseTime()) ? Acquired.HELD
					: Acquired.TAKEN_BY_ANOTHER;
		}
		catch (DynamoDbCacheException ex) {
			this.failures.failed("take a load lease (loading without one)", ex);
			return Acquired.UNAVAILABLE;
		}
	}

	private void release(String key, String token) {
		this.failures.run("release a load lease (it expires by itself)", () -> this.store.release(key, token));
	}

	private enum Acquired {

		HELD, TAKEN_BY_ANOTHER, UNAVAILABLE

	}

	/**
	 * Where leases live: in the cache's store, in a cache of their own.
	 */
	interface LeaseStore {

		/**
		 * Take the lease of a key if no live lease exists.
		 * @return whether this token now holds it
		 */
		boolean tryAcquire(String key, String token, Duration leaseTime);

		/** Remove the lease of a key if this token still holds it. */
		void release(String key, String token);

	}

	/**
	 * The lease's timing.
	 * @param leaseTime how long a lease lasts unless released
	 * @param initialBackoff the first pause of a waiter
	 * @param maxBackoff the longest pause of a waiter (pauses double up to it)
	 * @param giveUpAfter how long a waiter waits before it loads itself
	 */
	record Settings(Duration leaseTime, Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

		/** A waiter starts at 20 ms, doubles up to 200 ms, and gives up after one lease time. */
		static Settings forLeaseTime(Duration leaseTime) {
			return new Settings(leaseTime, Duration.ofMillis(20), Duration.ofMillis(200), leaseTime);
		}

	}

}
