package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoadLeaseUnitTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(10);

	private final FakeLeases leases = new FakeLeases();

	private final DefaultCacheStatistics statistics = new DefaultCacheStatistics();

	private final AtomicInteger loads = new AtomicInteger();

	@Test
	void aFreeLeaseIsTakenForTheLoadAndReleasedAfterIt() throws Exception {
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		Object value = lease.load("k", () -> {
			assertThat(this.leases.holder("k")).isNotNull();
			return load("v");
		}, () -> null);

		assertThat(value).isEqualTo("v");
		assertThat(this.loads).hasValue(1);
		assertThat(this.leases.holder("k")).isNull();
	}

	@Test
	void aNodeWhoseLeaseExpiredCannotReleaseTheNextHoldersLease() throws Exception {
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		lease.load("k", () -> {
			this.leases.advance(LEASE_TIME.plusSeconds(1));
			assertThat(this.leases.take("k", "next-holder", LEASE_TIME)).isTrue();
			return load("v");
		}, () -> null);

		assertThat(this.leases.holder("k")).isEqualTo("next-holder");
	}

	@Test
	void aWaiterTakesTheValueThatTheHolderStored() throws Exception {
		this.leases.take("k", "other-node", LEASE_TIME);
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"),
				() -> (reads.incrementAndGet() < 3) ? null : entry("theirs"));

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.leases.holder("k")).isEqualTo("other-node");
	}

	@Test
	void aWaiterLoadsItselfOnceTheGiveUpTimeHasPassed() throws Exception {
		this.leases.take("k", "stuck-node", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(20),
				Duration.ofMillis(100)));
		// The holder's lease never runs out on this clock, so the waiter can only give up.
		AtomicInteger reads = new AtomicInteger();

		long start = System.nanoTime();
		Object value = lease.load("k", () -> load("mine"), () -> {
			reads.incrementAndGet();
			return null;
		});

		assertThat(value).isEqualTo("mine");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		// 5, 10, 20, 20, ... ms: backing off, not busy-polling
		assertThat(reads.get()).isBetween(3, 10);
		assertThat(this.leases.holder("k")).isEqualTo("stuck-node");
	}

	@Test
	void whenNoLeaseCanBeTakenTheNodeLoadsWithoutOneUnlessStrict() throws Exception {
		this.leases.down = true;

		assertThat(lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME)).load("k", () -> load("v"), () -> null))
			.isEqualTo("v");
		assertThat(this.statistics.getFailures()).as("no release attempted").isEqualTo(1);
		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> lease(true, LoadLease.Settings.forLeaseTime(LEASE_TIME)).load("k", () -> load("v"),
					() -> null));
		assertThat(this.loads).hasValue(1);
	}

	private LoadLease lease(boolean strict, LoadLease.Settings settings) {
		return new LoadLease(this.leases, settings, new FailurePolicy("c", strict, this.statistics));
	}

	private Object load(Object value) {
		this.loads.incrementAndGet();
		return value;
	}

	private static CacheEntry entry(Object value) {
		return new CacheEntry("k", value, Instant.now(), null, null, null, 0);
	}

	/** Leases in memory, with a clock of their own, released only with the holder's token. */
	private static final class FakeLeases implements LoadLease.LeaseStore {

		private final Map<String, Lease> leases = new ConcurrentHashMap<>();

		private final AtomicInteger tokens = new AtomicInteger();

		private long now;

		volatile boolean down;

		@Override
		public synchronized String tryAcquire(String key, Duration leaseTime) {
			String token = "token-" + this.tokens.incrementAndGet();
			return take(key, token, leaseTime) ? token : null;
		}

		synchronized boolean take(String key, String token, Duration leaseTime) {
			checkUp();
			Lease lease = this.leases.get(key);
			if (lease != null && lease.expiresAt > this.now) {
				return false;
			}
			this.leases.put(key, new Lease(token, this.now + leaseTime.toMillis()));
			return true;
		}

		@Override
		public synchronized void release(String key, String token) {
			checkUp();
			Lease lease = this.leases.get(key);
			if (lease != null && lease.token.equals(token) && lease.expiresAt > this.now) {
				this.leases.remove(key);
			}
		}

		synchronized String holder(String key) {
			Lease lease = this.leases.get(key);
			return (lease != null && lease.expiresAt > this.now) ? lease.token : null;
		}

		synchronized void advance(Duration duration) {
			this.now += duration.toMillis();
		}

		private void checkUp() {
			if (this.down) {
				throw new DynamoDbCacheException("DynamoDB is down");
			}
		}

		private record Lease(String token, long expiresAt) {
		}

	}

}
