package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.jspecify.annotations.Nullable;

/**
 * A cross-node load lease: before loading a missing value, a node takes a lease on the key in DynamoDB, so
 * that one node loads while the others wait for its result. The holder stores the value and releases the
 * lease in one request when it can ({@link io.dynamodbcache.core.DynamoDbCacheStore#putAndRelease}), so that
 * a miss costs a read, the lease and that write. A waiter reads the entry after pauses that grow with the
 * time it has waited (half of it, between the initial and the longest pause), so that it sees the value at
 * most half a load time late with few reads; it asks for the lease again only every
 * {@linkplain Settings#retakeEvery retake interval}, which is when it finds a lease that its holder released
 * without a value, or takes over a lease whose holder has shown no sign of life for a whole lease period on
 * the waiter's own clock: the store's leases stay exclusive whatever the nodes' clocks say
 * ({@link io.dynamodbcache.core.DynamoDbLeases}). A release deletes the lease only while it still holds the
 * holder's token: a node whose lease was taken over mid-load cannot release the lease of the next holder. A
 * waiter that gets neither the value nor the lease by the give-up time loads itself.
 * <p>
 * If DynamoDB cannot be asked for a lease, the node loads without one (unless strict).
 */
final class LoadLease {

	/**
	 * How long after the miss a free lease is taken only after one more read: long enough that another node
	 * could have taken the lease, loaded, stored and released it meanwhile (a throttled request retried, a
	 * busy node), far longer than the two requests of an ordinary miss, which then costs no extra read.
	 */
	private static final long RECHECK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	/** A lease request slower than this was most likely throttled and retried. */
	private static final long SLOW_ASK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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
	 * @param load loads the value
	 * @param writer stores the loaded value in the cache
	 * @param readBack reads the entry that another node may have stored meanwhile; throws if DynamoDB fails
	 * @return the value loaded here or elsewhere
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Nullable Object load(String key, Supplier<@Nullable Object> load, ValueWriter writer,
			Supplier<@Nullable CacheEntry> readBack) throws InterruptedException {
		return load(key, load, writer, readBack, System.nanoTime(), true);
	}

	/**
	 * {@link #load(String, Supplier, ValueWriter, Supplier)} after a miss whose read was sent at the given time
	 * ({@link System#nanoTime()}): the longer ago, the likelier another node stored its value since. A read
	 * that DynamoDB did not answer (a throttled partition, a timeout) says nothing about the entry, which
	 * another node may have stored just before.
	 * @param missAnswered whether DynamoDB answered the miss read, rather than the read failing
	 */
	@Nullable Object load(String key, Supplier<@Nullable Object> load, ValueWriter writer,
			Supplier<@Nullable CacheEntry> readBack, long missReadAt, boolean missAnswered)
			throws InterruptedException {
		long start = System.nanoTime();
		long giveUpAt = start + this.settings.giveUpAfter().toNanos();
		long initialPause = this.settings.initialBackoff().toNanos();
		long longestPause = this.settings.maxBackoff().toNanos();
		boolean waiting = false;
		while (true) {
			long askedAt = System.nanoTime();
			Acquired acquired = acquire(key, waiting);
			if (acquired.outcome() == Outcome.HELD) {
				String token = Objects.requireNonNull(acquired.token());
				long now = System.nanoTime();
				if (waiting || !missAnswered || this.store.followsARelease(token) || now - askedAt > SLOW_ASK_NANOS
						|| now - missReadAt > RECHECK_AFTER_NANOS) {
					// A free lease after waiting, after a miss read that failed, right after another node released
					// it with its value, after a slow ask (a throttled request retried), or long after the miss (a
					// busy node): another node may have loaded, stored its value and released the lease meanwhile,
					// and this node's reads may have missed it. Look once more before loading again.
					CacheEntry loadedElsewhere = lookAgain(readBack, giveUpAt, initialPause, longestPause);
					if (loadedElsewhere != null) {
						release(key, token);
						return loadedElsewhere.value();
					}
				}
				return loadHolding(key, token, load, writer);
			}
			if (acquired.outcome() == Outcome.UNAVAILABLE) {
				return loadAndWrite(load, writer);
			}
			waiting = true;
			do {
				long waited = System.nanoTime() - start;
				TimeUnit.NANOSECONDS.sleep(Math.min(longestPause, Math.max(initialPause, waited / 2)));
				CacheEntry loadedElsewhere = readWhileWaiting(readBack);
				if (loadedElsewhere != null) {
					return loadedElsewhere.value();
				}
				if (System.nanoTime() - giveUpAt > 0) {
					return loadAndWrite(load, writer);
				}
			}
			while (System.nanoTime() - askedAt < this.settings.retakeEvery().toNanos());
		}
	}

	/** A waiter's read: a failure is a miss for now (the waiter reads again), logged as the policy says. */
	private @Nullable CacheEntry readWhileWaiting(Supplier<@Nullable CacheEntry> readBack) {
		try {
			return readBack.get();
		}
		catch (DynamoDbCacheException ex) {
			this.failures.failed("read", ex);
			return null;
		}
	}

	/**
	 * The holder's last look before it loads: a throttled read is read again, after growing pauses, until it is
	 * answered or the give-up time has passed, since a miss here means a second load. Any other failure
	 * answers "not stored": an outage must not stall the call.
	 */
	private @Nullable CacheEntry lookAgain(Supplier<@Nullable CacheEntry> readBack, long giveUpAt, long initialPause,
			long longestPause) throws InterruptedException {
		long pause = initialPause;
		while (true) {
			try {
				return readBack.get();
			}
			catch (DynamoDbCacheException ex) {
				if (!ex.isThrottled() || System.nanoTime() - giveUpAt > 0) {
					this.failures.failed("read", ex);
					return null;
				}
				TimeUnit.NANOSECONDS.sleep(pause);
				pause = Math.min(longestPause, pause * 2);
			}
		}
	}

	private @Nullable Object loadHolding(String key, String token, Supplier<@Nullable Object> load,
			ValueWriter writer) {
		Object value;
		try {
			value = load.get();
		}
		catch (RuntimeException | Error ex) {
			release(key, token);
			throw ex;
		}
		boolean released = false;
		try {
			released = writer.write(value, token);
		}
		finally {
			if (!released) {
				release(key, token);
			}
		}
		return value;
	}

	private static @Nullable Object loadAndWrite(Supplier<@Nullable Object> load, ValueWriter writer) {
		Object value = load.get();
		writer.write(value, null);
		return value;
	}

	/**
	 * Ask for the lease.
	 * @param waiting whether another node was seen holding it: one that cannot be asked again (a throttled
	 * partition, a timeout) is still loading, so the waiter goes on waiting until its give-up time rather than
	 * load a second time. A first ask that is throttled waits too: DynamoDB answered, and the key's partition
	 * is busy, at fleet scale with the other nodes asking for the same lease, one of which holds it. Only a
	 * first ask that DynamoDB did not answer loads without the lease, so that an outage never stalls the call.
	 */
	private Acquired acquire(String key, boolean waiting) {
		try {
			String token = this.store.tryAcquire(key, this.settings.leaseTime());
			return (token != null) ? new Acquired(Outcome.HELD, token) : Acquired.TAKEN_BY_ANOTHER;
		}
		catch (DynamoDbCacheException ex) {
			if (waiting || ex.isThrottled()) {
				return Acquired.TAKEN_BY_ANOTHER;
			}
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
	 * Stores a loaded value in the cache.
	 */
	@FunctionalInterface
	interface ValueWriter {

		/**
		 * Store a loaded value, releasing the lease in the same request when it can.
		 * @param value the loaded value
		 * @param token the lease held for the load, or {@code null} if the value was loaded without one
		 * @return whether the lease was released; if not, it is released with {@link LeaseStore#release}
		 */
		boolean write(@Nullable Object value, @Nullable String token);

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

		/**
		 * Whether the lease held with this token was free because another node had just released it with
		 * its value.
		 */
		boolean followsARelease(String token);

		/** Remove the lease of a key if this token still holds it. */
		void release(String key, String token);

	}

	/**
	 * The lease's timing.
	 * @param leaseTime how long a lease lasts unless released
	 * @param initialBackoff the shortest pause of a waiter
	 * @param maxBackoff the longest pause of a waiter (a pause is half the time waited so far, in between)
	 * @param retakeEvery how often a waiter asks for the lease again
	 * @param giveUpAfter how long a waiter waits before it loads itself
	 */
	record Settings(Duration leaseTime, Duration initialBackoff, Duration maxBackoff, Duration retakeEvery,
			Duration giveUpAfter) {

		/**
		 * A waiter pauses between 20 ms and 200 ms, asks for the lease again every second (or every quarter
		 * lease time, if shorter), may take over a silent lease after one lease time, and gives up after two.
		 */
		static Settings forLeaseTime(Duration leaseTime) {
			Duration quarter = leaseTime.dividedBy(4);
			Duration retakeEvery = (quarter.compareTo(Duration.ofSeconds(1)) < 0) ? quarter : Duration.ofSeconds(1);
			return new Settings(leaseTime, Duration.ofMillis(20), Duration.ofMillis(200), retakeEvery,
					leaseTime.multipliedBy(2));
		}

	}

}
