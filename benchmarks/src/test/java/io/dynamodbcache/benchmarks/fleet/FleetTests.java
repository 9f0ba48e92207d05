package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;

import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet harness at a reduced size (20 nodes, seconds instead of minutes), with the figures as
 * assertions; {@link FleetReport} runs the full size (100 nodes) from the benchmarks module.
 */
class FleetTests {

	private static final int NODES = 20;

	private final DynamoDbLocal local = DynamoDbLocal.shared();

	@Test
	void everyNodeHearsOfEveryChangeWithinTwoSecondsAndTheStreamHasOneReader() throws Exception {
		InvalidationScenario.Result result = InvalidationScenario.run(this.local, "fleet-tests-a", NODES,
				Duration.ofSeconds(20), 2, 5, 100, Duration.ofMillis(500), Duration.ofMillis(500));
		System.out.println(InvalidationScenario.Result.header() + "\n" + result.row());

		assertThat(result.probesNotSeenByEveryNode()).isZero();
		assertThat(result.lagToLastNode().count()).isGreaterThanOrEqualTo(20);
		assertThat(result.lagToLastNode().p99()).isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(result.lagToLastNode().max()).isLessThanOrEqualTo(Duration.ofSeconds(5));
		assertThat(result.monotonicViolations()).isZero();
		assertThat(result.staleOverTwoSeconds()).isZero();
		assertThat(result.throttled()).doesNotContainKey("GetRecords/" + DynamoDbLimits.READERS_PER_SHARD_EXCEEDED);
		assertThat(result.mostReadersPerShard()).isEqualTo(1);
		assertThat(result.streamReaders()).isEqualTo(1);
		assertThat(result.queriesPerNodePerSecond()).isLessThan(1.5);
	}

	@Test
	void whenTheStreamReaderDiesAnotherGoesOnWithinTheLeaseTimeAndNoInvalidationIsLost() throws Exception {
		ReaderFailoverScenario.Result result = ReaderFailoverScenario.run(this.local, "fleet-tests-b", NODES,
				Duration.ofSeconds(18), 30);
		System.out.println(ReaderFailoverScenario.Result.header() + "\n" + result.row());

		assertThat(result.recovery()).isNotNull();
		// The lease time (5 s at the default poll interval) + 2 s.
		assertThat(result.recovery()).isLessThanOrEqualTo(Duration.ofSeconds(7));
		assertThat(result.staleCopies()).isZero();
		assertThat(result.streamReadersAfter()).isEqualTo(1);
		assertThat(result.mostReadersPerShard()).isLessThanOrEqualTo(DynamoDbLimits.READERS_PER_SHARD);
	}

	@Test
	void aStampedeOnEveryNodeLoadsOnceEvenWhenTheKeysPartitionIsThrottled() throws Exception {
		for (double scale : new double[] { 1, 0.01 }) {
			StampedeScenario.Result result = StampedeScenario.run(this.local, "fleet-tests-c-" + (int) (scale * 100),
					NODES, 5, 3, scale);
			System.out.println(StampedeScenario.Result.header() + "\n" + result.row());

			assertThat(result.loadsPerRound()).as("loads per stampede at scale %s", scale).containsOnly(1);
			assertThat(result.failures()).isZero();
			// Every waiter needs one read of the stored value, and the partition serves two eventually
			// consistent reads per read unit: throttled, no design returns sooner than that after the load.
			Duration readOnceEach = Duration.ofMillis(Math.round(NODES * 1000 / (2 * result.partitionReadUnits())));
			Duration slowerPart = (readOnceEach.compareTo(result.floor().p99()) > 0) ? readOnceEach
					: result.floor().p99();
			assertThat(result.latency().p99()).as("caller latency at scale %s", scale)
				.isLessThanOrEqualTo(StampedeScenario.LOAD_TIME.plusMillis(500).plus(slowerPart));
		}
	}

	@Test
	void aHotKeyCostsNoThrottleWithTheNearCacheAndLeavesOtherKeysAloneWithoutIt() throws Exception {
		double scale = NODES * 20.0 / HotKeyScenario.FLEET_READS_PER_SECOND;
		HotKeyScenario.Result without = HotKeyScenario.run(this.local, "fleet-tests-d1", NODES, Duration.ofSeconds(8),
				scale, null);
		HotKeyScenario.Result with = HotKeyScenario.run(this.local, "fleet-tests-d2", NODES, Duration.ofSeconds(8),
				scale, new NearCacheSettings(1_000, Duration.ofMinutes(1)));
		System.out.println(HotKeyScenario.Result.header() + "\n" + without.row() + "\n" + with.row());

		assertThat(without.throttledGets()).as("the demand is beyond the partition's limit").isPositive();
		assertThat(without.coldFailures()).isLessThanOrEqualTo(without.coldReads() / 100);
		assertThat(with.throttledGets()).isZero();
		assertThat(with.hotFailures()).isZero();
		assertThat(with.hotRequestsPerNodePerSecond()).isLessThan(1);
		assertThat(with.coldFailures()).isLessThanOrEqualTo(with.coldReads() / 100);
	}

}
