package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.function.Supplier;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.jspecify.annotations.Nullable;

/**
 * A cross-node load lease: before loading a missing value, a node takes a lease on the key in DynamoDB, so
 * that one node loads while the others wait for its result. A waiter backs off exponentially, reads the
 * entry after each pause, and asks for the lease again; the store's leases let it take over a lease whose
 * holder has shown no sign of life for a whole lease period on the waiter's own clock, so leases stay
 * exclusive whatever the nodes' clocks say ({@link io.dynamodbcache.core.DynamoDbLeases}). A release deletes
 * the lease only while it still holds the holder's token: a node whose lease was taken over mid-load cannot
 * release the lease of the next holder. A waiter that gets neither the value nor the lease by the give-up
 * time loads itself.
 * <p>
 * If DynamoDB cannot be asked for a lease, the node loads without one (unless strict).
 */
final class LoadLease {

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
		long giveUpAt = System.nanoTime() + this.settings.giveUpAfter().toNanos();
		long pause = this.settings.initialBackoff().toMillis();
		while (true) {
			Acquired acquired = acquire(key);
			if (acquired.outcome() != Outcome.TAKEN_BY_ANOTHER) {
				try {
					return loadAndStore.get();
				}
				finally {
					if (acquired.token() != null) {
						release(key, acquired.token());
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

	private Acquired acquire(String key) {
		try {
			String token = this.store.tryAcquire(key, this.settings.leaseTime());
			return (token != null) ? new Acquired(Outcome.HELD, token) : Acquired.TAKEN_BY_ANOTHER;
		}
		catch (DynamoDbCacheException ex) {
			this.failures.failed("take a load lease (loading without one)", ex);
			return Acquired.UNAVAILABLE;
		}
	}

	private void release(String key, String token) {
		this.failures.run("release a load lease (it expires by itself)", () -> this.store.release(key, token));
	}

	private enum Outcome {

		HELD, TAKEN_BY_ANOTHER, UNAVAILABLE

	}

	/** The outcome of asking for the lease, with the token when it is held. */
	private record Acquired(Outcome outcome, @Nullable String token) {

		static final Acquired TAKEN_BY_ANOTHER = new Acquired(Outcome.TAKEN_BY_ANOTHER, null);

		static final Acquired UNAVAILABLE = new Acquired(Outcome.UNAVAILABLE, null);

	}

	/**
	 * Where leases live: in the cache's store, in a cache of their own.
	 */
	interface LeaseStore {

		/**
		 * Take the lease of a key if no one holds it.
		 * @return the token of the lease now held, or {@code null} if another node holds it
		 */
		@Nullable String tryAcquire(String key, Duration leaseTime);

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

		/**
		 * A waiter starts at 20 ms and doubles up to 200 ms; it may take over a silent lease after one lease
		 * time, and gives up after two.
		 */
		static Settings forLeaseTime(Duration leaseTime) {
			return new Settings(leaseTime, Duration.ofMillis(20), Duration.ofMillis(200), leaseTime.multipliedBy(2));
		}

	}

}
