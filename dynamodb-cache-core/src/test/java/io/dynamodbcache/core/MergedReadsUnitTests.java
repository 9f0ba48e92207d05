package io.dynamodbcache.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class MergedReadsUnitTests {

	private static final Map<String, AttributeValue> OLD = Map.of("val", AttributeValue.fromS("old"));

	private static final Map<String, AttributeValue> NEW = Map.of("val", AttributeValue.fromS("new"));

	private final MergedReads reads = new MergedReads(Duration.ofSeconds(5));

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger sent = new AtomicInteger();

	@Test
	void aReadOfTheSameKeyWithTheSameStampWaitsForTheReadInFlight() throws Exception {
		CompletableFuture<Map<String, AttributeValue>> leader = CompletableFuture
			.supplyAsync(() -> this.reads.read("c", "k", 7, this::slowRead));
		await().until(() -> this.sent.get() == 1);
		CompletableFuture<Map<String, AttributeValue>> joiner = joiner(7);

		this.release.countDown();

		assertThat(joiner.get(5, TimeUnit.SECONDS)).isSameAs(OLD);
		assertThat(leader.get(5, TimeUnit.SECONDS)).isSameAs(OLD);
		assertThat(this.sent).hasValue(1);
	}

	@Test
	void aReadThatStartedAfterAnInvalidationNeverGetsTheItemOfAnOlderRead() throws Exception {
		CompletableFuture<Map<String, AttributeValue>> leader = CompletableFuture
			.supplyAsync(() -> this.reads.read("c", "k", 7, this::slowRead));
		await().until(() -> this.sent.get() == 1);

		// The key's stripe was invalidated (stamp 8) while the first read was in flight.
		Map<String, AttributeValue> later = this.reads.read("c", "k", 8, () -> NEW);

		assertThat(later).isSameAs(NEW);
		this.release.countDown();
		assertThat(leader.get(5, TimeUnit.SECONDS)).isSameAs(OLD);
	}

	@Test
	void aFailedReadFailsItsJoinersAndIsNotJoinedAgain() throws Exception {
		CompletableFuture<Map<String, AttributeValue>> leader = CompletableFuture.supplyAsync(() -> this.reads
			.read("c", "k", 7, () -> {
				slowRead();
				throw new DynamoDbCacheException("Could not read", null);
			}));
		await().until(() -> this.sent.get() == 1);
		CompletableFuture<Map<String, AttributeValue>> joiner = joiner(7);

		this.release.countDown();

		assertThat(joiner).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(DynamoDbCacheException.class)
			.withMessageContaining("Could not read");
		assertThat(leader).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(Exception.class);
		assertThat(this.reads.read("c", "k", 7, () -> NEW)).isSameAs(NEW);
	}

	@Test
	void aJoinerWaitsNoLongerThanTheCallTimeout() {
		MergedReads shortBudget = new MergedReads(Duration.ofMillis(100));
		CompletableFuture.runAsync(() -> shortBudget.read("c", "k", 7, this::slowRead));
		await().until(() -> this.sent.get() == 1);

		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> shortBudget.read("c", "k", 7, this::slowRead))
			.withMessageContaining("100 ms");
		this.release.countDown();
	}

	/**
	 * A read of the key that would get {@link #NEW} if it sent its own, started on a thread of its own and
	 * returned once that thread waits (for the read in flight) or is done (it read on its own).
	 */
	private CompletableFuture<Map<String, AttributeValue>> joiner(long stamp) {
		CompletableFuture<Map<String, AttributeValue>> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(this.reads.read("c", "k", stamp, () -> NEW));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.start();
		await().until(() -> thread.getState() == Thread.State.TIMED_WAITING || !thread.isAlive());
		return result;
	}

	private Map<String, AttributeValue> slowRead() {
		this.sent.incrementAndGet();
		try {
			this.release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return OLD;
	}

}
