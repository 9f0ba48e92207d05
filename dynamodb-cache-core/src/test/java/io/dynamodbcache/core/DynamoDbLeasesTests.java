package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.MutableClock;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases stay exclusive when the nodes' clocks differ: two nodes whose clocks are 30 seconds apart share a
 * table, and each judges time only by its own clock.
 */
@DynamoDbLocalTest
class DynamoDbLeasesTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(10);

	private MutableClock clockA;

	private MutableClock clockB;

	private DynamoDbCacheStore nodeA;

	private DynamoDbCacheStore nodeB;

	private String cache;

	@BeforeEach
	void createNodes(DynamoDbClient client, UniqueTableName table) {
		this.clockA = MutableClock.startingNow();
		this.clockB = MutableClock.startingNow();
		this.clockB.advance(Duration.ofSeconds(30));
		this.nodeA = DynamoDbCacheStore.builder(client).tableName(table.value()).clock(this.clockA).build();
		this.nodeB = DynamoDbCacheStore.builder(client).tableName(table.value()).clock(this.clockB).build();
		this.cache = "locks-" + UUID.randomUUID();
	}

	@Test
	void aNodeWhoseClockIsAheadDoesNotTakeALeaseThatItsHolderStillHolds() {
		DynamoDbLeases leasesA = this.nodeA.leases(this.cache);
		DynamoDbLeases leasesB = this.nodeB.leases(this.cache);
		String tokenA = leasesA.tryAcquire("job", LEASE_TIME);

		assertThat(tokenA).isNotNull();
		// By B's clock A's lease ran out 20 seconds ago: a lock made with putIfAbsent would be B's now.
		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).isNull();
		this.clockB.advance(LEASE_TIME.minusSeconds(1));
		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).isNull();
		assertThat(leasesA.release("job", tokenA)).isTrue();
		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).isNotNull();
	}

	@Test
	void aLeaseWhoseHolderStaysSilentForAWholeLeaseTimeIsTakenOverAndTheOldHolderCannotReleaseIt() {
		DynamoDbLeases leasesA = this.nodeA.leases(this.cache);
		DynamoDbLeases leasesB = this.nodeB.leases(this.cache);
		String tokenA = Objects.requireNonNull(leasesA.tryAcquire("job", LEASE_TIME));
		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).isNull();

		this.clockB.advance(LEASE_TIME);
		String tokenB = leasesB.tryAcquire("job", LEASE_TIME);

		assertThat(tokenB).isNotNull().isNotEqualTo(tokenA);
		assertThat(leasesA.release("job", tokenA)).isFalse();
		assertThat(this.nodeA.leases(this.cache).tryAcquire("job", LEASE_TIME)).as("still B's").isNull();
		assertThat(leasesB.release("job", tokenB)).isTrue();
	}

	@Test
	void aNodeThatSawTheLeaseChangeHandsStartsWatchingAgain() {
		DynamoDbLeases leasesA = this.nodeA.leases(this.cache);
		DynamoDbLeases leasesB = this.nodeB.leases(this.cache);
		String first = Objects.requireNonNull(leasesA.tryAcquire("job", LEASE_TIME));
		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).isNull();
		this.clockB.advance(LEASE_TIME.minusSeconds(2));
		leasesA.release("job", first);
		assertThat(leasesA.tryAcquire("job", LEASE_TIME)).isNotNull();

		this.clockB.advance(Duration.ofSeconds(2));

		assertThat(leasesB.tryAcquire("job", LEASE_TIME)).as("a new holder, watched for 0 s").isNull();
	}

	@Test
	void racingNodesGetExactlyOneLease() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> racers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				DynamoDbLeases leases = ((i % 2 == 0) ? this.nodeA : this.nodeB).leases(this.cache);
				racers.add(executor.submit(() -> {
					start.await();
					return leases.tryAcquire("job", LEASE_TIME);
				}));
			}
			start.countDown();
			List<String> tokens = new ArrayList<>();
			for (Future<String> racer : racers) {
				String token = racer.get(10, TimeUnit.SECONDS);
				if (token != null) {
					tokens.add(token);
				}
			}
			assertThat(tokens).hasSize(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aValueIsWrittenAndItsLeaseReleasedInOneRequest(DynamoDbClient client, UniqueTableName table) {
		List<String> requests = new CopyOnWriteArrayList<>();
		DynamoDbCacheStore node = DynamoDbCacheStore.builder(client)
			.tableName(table.value())
			.clock(this.clockA)
			.requestListener((operation, duration, failure) -> requests.add(operation))
			.build();
		DynamoDbLeases leases = node.leases(this.cache);
		String token = Objects.requireNonNull(leases.tryAcquire("report", LEASE_TIME));
		requests.clear();

		boolean released = node.putAndRelease("reports", "report", "v1", Duration.ofMinutes(1), null, leases, token);

		assertThat(released).isTrue();
		assertThat(requests).containsExactly("BatchWriteItem");
		assertThat(node.get("reports", "report")).isEqualTo("v1");
		assertThat(node.getEntry("reports", "report").timeToLive()).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.nodeB.leases(this.cache).tryAcquire("report", LEASE_TIME)).as("free again").isNotNull();
	}

	@Test
	void theNextNodeToTakeALeaseReleasedWithItsValueLearnsOfTheReleaseForOneLeaseTime() {
		// Found by the fleet harness: a node whose miss was read just before the holder stored its value, and whose
		// lease request came just after the release, loaded a second time; it must know to look first.
		for (String key : List.of("report", "r".repeat(2000))) {
			DynamoDbLeases holder = this.nodeA.leases(this.cache);
			String token = Objects.requireNonNull(holder.tryAcquire(key, LEASE_TIME));
			assertThat(holder.followsARelease(token)).as("a key never leased").isFalse();
			assertThat(this.nodeA.putAndRelease("reports", key, "v1", null, null, holder, token)).isTrue();

			DynamoDbLeases next = this.nodeA.leases(this.cache);
			String nextToken = Objects.requireNonNull(next.tryAcquire(key, LEASE_TIME), "free after the release");
			assertThat(next.followsARelease(nextToken)).isTrue();
			assertThat(next.tryAcquire(key, LEASE_TIME)).as("held again").isNull();
			assertThat(next.release(key, nextToken)).isTrue();

			DynamoDbLeases afterDelete = this.nodeA.leases(this.cache);
			String afterDeleteToken = Objects.requireNonNull(afterDelete.tryAcquire(key, LEASE_TIME));
			assertThat(afterDelete.followsARelease(afterDeleteToken)).as("released without a value").isFalse();
			assertThat(this.nodeA.putAndRelease("reports", key, "v2", null, null, afterDelete, afterDeleteToken))
				.isTrue();
			this.clockA.advance(LEASE_TIME);

			DynamoDbLeases muchLater = this.nodeA.leases(this.cache);
			String muchLaterToken = Objects.requireNonNull(muchLater.tryAcquire(key, LEASE_TIME));
			assertThat(muchLater.followsARelease(muchLaterToken)).as("a lease time after the release").isFalse();
			assertThat(muchLater.release(key, muchLaterToken)).isTrue();
		}
	}

	@Test
	void aLeaseHeldAlmostALeaseTimeIsNotReleasedWithTheValueSoThatAnotherNodesLeaseSurvives() {
		DynamoDbLeases leasesA = this.nodeA.leases(this.cache);
		String tokenA = Objects.requireNonNull(leasesA.tryAcquire("report", LEASE_TIME));
		// Within the request budget of the lease time: node B may take the lease over while the write is sent.
		this.clockA.advance(LEASE_TIME.minusMillis(500));

		boolean released = this.nodeA.putAndRelease("reports", "report", "v1", null, null, leasesA, tokenA);

		assertThat(released).isFalse();
		assertThat(this.nodeA.get("reports", "report")).isEqualTo("v1");
		assertThat(this.nodeB.leases(this.cache).tryAcquire("report", LEASE_TIME)).as("still A's").isNull();
		assertThat(leasesA.release("report", tokenA)).as("released by the token's own delete").isTrue();
	}

	@Test
	void aTokenThisObjectDidNotHandOutIsNeverReleasedWithTheValue() {
		String token = Objects.requireNonNull(this.nodeA.leases(this.cache).tryAcquire("report", LEASE_TIME));

		assertThat(this.nodeA.putAndRelease("reports", "report", "v1", null, null, this.nodeA.leases(this.cache),
				token))
			.isFalse();
		assertThat(this.nodeB.leases(this.cache).tryAcquire("report", LEASE_TIME)).as("still held").isNull();
	}

	@Test
	void longKeysAreLeasedByTheirOriginalKey() {
		String longKey = "k".repeat(2000);
		DynamoDbLeases leases = this.nodeA.leases(this.cache);

		String token = leases.tryAcquire(longKey, LEASE_TIME);

		assertThat(token).isNotNull();
		assertThat(leases.tryAcquire(longKey, LEASE_TIME)).isNull();
		assertThat(leases.release(longKey, token)).isTrue();
	}

}
