package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LoadLeaseUnitTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(10);

	private final FakeLeases leases = new FakeLeases();

	private final DefaultCacheStatistics statistics = new DefaultCacheStatistics();

	private final AtomicInteger loads = new AtomicInteger();

	/** What the writer was given: value and lease token. */
	private final List<String> writes = new CopyOnWriteArrayList<>();

	/** Whether the writer reports the lease released in its own request. */
	private volatile boolean writerReleases;

	@Test
	void aFreeLeaseIsTakenForTheLoadAndReleasedAfterIt() throws Exception {
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		Object value = lease.load("k", () -> {
			assertThat(this.leases.holder("k")).isNotNull();
			return load("v");
		}, this::write, () -> null);

		assertThat(value).isEqualTo("v");
		assertThat(this.loads).hasValue(1);
		assertThat(this.writes).containsExactly("v with token-1");
		assertThat(this.leases.holder("k")).isNull();
		assertThat(this.leases.releases).as("released by its own request").hasValue(1);
	}

	@Test
	void aLeaseThatTheWriteReleasedIsNotReleasedAgain() throws Exception {
		this.writerReleases = true;
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		assertThat(lease.load("k", () -> load("v"), this::write, () -> null)).isEqualTo("v");

		assertThat(this.writes).containsExactly("v with token-1");
		assertThat(this.leases.releases).hasValue(0);
	}

	@Test
	void aFailedLoadReleasesTheLeaseAndWritesNothing() {
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		assertThatIllegalStateException().isThrownBy(() -> lease.load("k", () -> {
			throw new IllegalStateException("backend down");
		}, this::write, () -> null));

		assertThat(this.writes).isEmpty();
		assertThat(this.leases.holder("k")).isNull();
	}

	@Test
	void aNodeWhoseLeaseExpiredCannotReleaseTheNextHoldersLease() throws Exception {
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		lease.load("k", () -> {
			this.leases.advance(LEASE_TIME.plusSeconds(1));
			assertThat(this.leases.take("k", "next-holder", LEASE_TIME)).isTrue();
			return load("v");
		}, this::write, () -> null);

		assertThat(this.leases.holder("k")).isEqualTo("next-holder");
	}

	@Test
	void aWaiterTakesTheValueThatTheHolderStored() throws Exception {
		this.leases.take("k", "other-node", LEASE_TIME);
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"), this::write,
				() -> (reads.incrementAndGet() < 3) ? null : entry("theirs"));

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.writes).isEmpty();
		assertThat(this.leases.holder("k")).isEqualTo("other-node");
		assertThat(this.leases.attempts).as("asked once, then only read").hasValue(1);
	}

	@Test
	void aWaiterReadsAfterPausesOfHalfTheTimeItWaitedAndAsksForTheLeaseOnlyEveryRetakeInterval() throws Exception {
		this.leases.take("k", "slow-node", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(20),
				Duration.ofMillis(200), Duration.ofMillis(250), Duration.ofSeconds(30)));
		List<Long> readTimes = new CopyOnWriteArrayList<>();
		long start = System.nanoTime();

		// The holder stores its value 400 ms after the waiter came.
		Object value = lease.load("k", () -> load("mine"), this::write, () -> {
			long at = System.nanoTime() - start;
			readTimes.add(at);
			return (at >= 400_000_000L) ? entry("theirs") : null;
		});

		assertThat(value).isEqualTo("theirs");
		// Pauses of 20, 20, 20, 30, 45, 67, 101, 151 ms: read at about 20, 40, 60, 90, 135, 202, 303, 454 ms.
		assertThat(readTimes).hasSizeBetween(6, 9);
		assertThat(readTimes.get(readTimes.size() - 1)).as("seen at most half the waited time late")
			.isLessThan(650_000_000L);
		// Asked at the start and after the read at about 303 ms; a retake interval of 300 ms left that second
		// ask to a few milliseconds of scheduling.
		assertThat(this.leases.attempts).as("at the start and about every 250 ms").hasValueBetween(2, 3);
	}

	@Test
	void aWaiterLoadsItselfOnceTheGiveUpTimeHasPassed() throws Exception {
		this.leases.take("k", "stuck-node", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(20),
				Duration.ofMillis(50), Duration.ofMillis(100)));
		// The holder's lease never runs out on this clock, so the waiter can only give up.
		AtomicInteger reads = new AtomicInteger();

		long start = System.nanoTime();
		Object value = lease.load("k", () -> load("mine"), this::write, () -> {
			reads.incrementAndGet();
			return null;
		});

		assertThat(value).isEqualTo("mine");
		assertThat(this.writes).containsExactly("mine without a lease");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		// 5, 5, 5, 7, 11, 16, 20, 20 ... ms: backing off, not busy-polling
		assertThat(reads.get()).isBetween(3, 12);
		assertThat(this.leases.holder("k")).isEqualTo("stuck-node");
	}

	@Test
	void aWaiterThatCannotAskForTheLeaseAgainGoesOnWaitingForTheHolder() throws Exception {
		// Found by the fleet measurement: waiters whose reads and lease requests were throttled loaded
		// themselves without a lease (83 loads in 10 stampedes of 20 nodes).
		this.leases.take("k", "holder", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(10)));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"), this::write, () -> {
			// DynamoDB stops answering the waiter after its first request; the holder stores its value later.
			this.leases.down = true;
			return (reads.incrementAndGet() < 20) ? null : entry("theirs");
		});

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.writes).isEmpty();
		assertThat(this.leases.attempts).as("asked again while waiting").hasValueGreaterThan(1);
	}

	@Test
	void aFirstAskThatIsThrottledWaitsForTheNodeThatGotTheLease() throws Exception {
		// Found by the fleet harness: 100 nodes missing one key at once, their lease requests throttled on the
		// lease's partition, loaded without a lease (up to 71 loads per stampede).
		this.leases.take("k", "holder", LEASE_TIME);
		this.leases.throttled = true;
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(10)));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"), this::write,
				() -> (reads.incrementAndGet() < 5) ? null : entry("theirs"));

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.statistics.getFailures()).isZero();
	}

	@Test
	void aWaiterThatTakesAFreedLeaseLooksForTheHoldersValueBeforeLoadingAgain() throws Exception {
		// Found by the fleet harness: waiters whose reads were throttled missed the value that the holder stored
		// when it released the lease, took the free lease at their next retake, and loaded again (up to 30 loads
		// per stampede of 100 nodes).
		this.leases.take("k", "holder", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(10)));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"), this::write, () -> {
			String holder = this.leases.holder("k");
			if (holder == null || holder.equals("holder")) {
				// Throttled reads while the holder loads; it stores its value and releases its lease. Keyed on
				// who holds the lease rather than on the number of asks, which depends on how fast the reads are.
				if (reads.incrementAndGet() == 3) {
					this.leases.release("k", "holder");
				}
				return null;
			}
			return entry("theirs");
		});

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.leases.holder("k")).as("the retaken lease is released").isNull();
	}

	@Test
	void theLastLookBeforeLoadingReadsAgainWhileItsReadIsThrottled() throws Exception {
		// Found by the fleet harness: the look was answered by a throttled read, taken for "not stored", and the
		// node loaded a second time.
		this.leases.take("k", "holder", LEASE_TIME);
		LoadLease lease = lease(false, new LoadLease.Settings(LEASE_TIME, Duration.ofMillis(5), Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(10)));
		AtomicInteger reads = new AtomicInteger();

		Object value = lease.load("k", () -> load("mine"), this::write, () -> {
			int read = reads.incrementAndGet();
			if (read == 2) {
				// The holder stores its value and releases its lease while this waiter's reads are throttled.
				this.leases.release("k", "holder");
			}
			if (read < 6) {
				throw throttled();
			}
			return entry("theirs");
		});

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
	}

	@Test
	void aFreeLeaseTakenLongAfterTheMissIsTakenOnlyAfterLookingForAValueStoredMeanwhile() throws Exception {
		// Found by the fleet harness: a node whose miss was read before the holder stored its value, and whose
		// lease request came after the holder released the lease, loaded a second time.
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));
		long missReadAt = System.nanoTime() - Duration.ofMillis(500).toNanos();

		Object value = lease.load("k", () -> load("mine"), this::write, () -> entry("theirs"), missReadAt, true);

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.leases.holder("k")).as("the lease is released").isNull();
		assertThat(lease.load("k2", () -> load("mine"), this::write, () -> entry("theirs"), System.nanoTime(), true))
			.as("right after the miss, no second read").isEqualTo("mine");
	}

	@Test
	void aFreeLeaseTakenRightAfterAMissReadThatFailedIsTakenOnlyAfterLookingForAValueStoredMeanwhile()
			throws Exception {
		// Found by the fleet harness: a node's miss read failed, throttled, after the holder had stored its value
		// and released the lease; the node took the free lease at once and loaded a second time.
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		Object value = lease.load("k", () -> load("mine"), this::write, () -> entry("theirs"), System.nanoTime(),
				false);

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.leases.holder("k")).as("the lease is released").isNull();
	}

	@Test
	void aLeaseThatAnotherNodeHasJustReleasedWithItsValueIsTakenOnlyAfterLookingForThatValue() throws Exception {
		// Found by the fleet harness: a node's miss read was answered just before the holder stored its value,
		// and its lease request, fast, just after the holder released the lease; the node loaded a second time.
		this.leases.afterRelease = true;
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		Object value = lease.load("k", () -> load("mine"), this::write, () -> entry("theirs"), System.nanoTime(), true);

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
		assertThat(this.leases.holder("k")).as("the lease is released").isNull();
	}

	@Test
	void aFreeLeaseGotThroughASlowAskIsTakenOnlyAfterLookingForAValueStoredMeanwhile() throws Exception {
		// Found by the fleet harness: lease requests throttled and retried by the SDK succeeded after the holder
		// had stored its value and released the lease, and their nodes loaded again.
		this.leases.askTime = Duration.ofMillis(80);
		LoadLease lease = lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME));

		Object value = lease.load("k", () -> load("mine"), this::write, () -> entry("theirs"), System.nanoTime(), true);

		assertThat(value).isEqualTo("theirs");
		assertThat(this.loads).hasValue(0);
	}

	@Test
	void whenNoLeaseCanBeTakenTheNodeLoadsWithoutOneUnlessStrict() throws Exception {
		this.leases.down = true;

		assertThat(lease(false, LoadLease.Settings.forLeaseTime(LEASE_TIME)).load("k", () -> load("v"), this::write,
				() -> null))
			.isEqualTo("v");
		assertThat(this.writes).containsExactly("v without a lease");
		assertThat(this.statistics.getFailures()).as("no release attempted").isEqualTo(1);
		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> lease(true, LoadLease.Settings.forLeaseTime(LEASE_TIME)).load("k", () -> load("v"),
					this::write, () -> null));
		assertThat(this.loads).hasValue(1);
	}

	@Test
	void aWaiterAsksForTheLeaseAtMostEverySecondOrQuarterLeaseTime() {
		assertThat(LoadLease.Settings.forLeaseTime(Duration.ofSeconds(10)).retakeEvery())
			.isEqualTo(Duration.ofSeconds(1));
		assertThat(LoadLease.Settings.forLeaseTime(Duration.ofSeconds(2)).retakeEvery())
			.isEqualTo(Duration.ofMillis(500));
	}

	private boolean write(Object value, String token) {
		this.writes.add(value + ((token != null) ? " with " + token : " without a lease"));
		return this.writerReleases;
	}

	private LoadLease lease(boolean strict, LoadLease.Settings settings) {
		return new LoadLease(this.leases, settings, new FailurePolicy("c", strict, this.statistics));
	}

	private Object load(Object value) {
		this.loads.incrementAndGet();
		return value;
	}

	private static DynamoDbCacheException throttled() {
		return new DynamoDbCacheException("Throttled", ThrottlingException.builder()
			.message("Throughput exceeds the current throughput limit for the key range")
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build())
			.statusCode(400)
			.build());
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

		volatile boolean throttled;

		volatile Duration askTime = Duration.ZERO;

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger releases = new AtomicInteger();

		/** What {@link #followsARelease} answers for every token. */
		volatile boolean afterRelease;

		@Override
		public synchronized String tryAcquire(String key, Duration leaseTime) {
			this.attempts.incrementAndGet();
			try {
				Thread.sleep(this.askTime.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
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
		public boolean followsARelease(String token) {
			return this.afterRelease;
		}

		@Override
		public synchronized void release(String key, String token) {
			checkUp();
			this.releases.incrementAndGet();
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
			if (this.throttled) {
				throw throttled();
			}
		}

		private record Lease(String token, long expiresAt) {
		}

	}

}
