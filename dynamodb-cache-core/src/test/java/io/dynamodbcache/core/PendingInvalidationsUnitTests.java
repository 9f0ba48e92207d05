package io.dynamodbcache.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bookkeeping of unconfirmed evictions, with a DynamoDB stood in by two callbacks that fail while
 * {@link #down} is set: which keys read as missing, when a retry or a confirmed delete ends that, and the
 * memory bound.
 */
class PendingInvalidationsUnitTests {

	private final AtomicBoolean down = new AtomicBoolean(true);

	private final List<String> deleted = new CopyOnWriteArrayList<>();

	private final List<String> cleared = new CopyOnWriteArrayList<>();

	private final AtomicInteger attempts = new AtomicInteger();

	private final PendingInvalidations pending = pending(Duration.ofMillis(300));

	private PendingInvalidations pending(Duration closeTimeout) {
		return new PendingInvalidations((cache, key) -> {
			this.attempts.incrementAndGet();
			failWhileDown();
			this.deleted.add(cache + "/" + key);
		}, (cache, filter) -> {
			this.attempts.incrementAndGet();
			failWhileDown();
			this.cleared.add(cache);
		}, closeTimeout);
	}

	@Test
	void closingRetriesWhatIsPendingUntilDynamoDbConfirmsItWithinTheCloseTimeout() throws Exception {
		PendingInvalidations closing = pending(Duration.ofSeconds(60));
		closing.evictionFailed("books", "a");
		closing.clearFailed("prices", (key) -> true);
		Thread close = new Thread(closing::close);
		close.start();
		int before = this.attempts.get();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.attempts.get() > before + 1);
		assertThat(close.isAlive()).as("still waiting for DynamoDB").isTrue();

		this.down.set(false);
		close.join(30_000);

		assertThat(close.isAlive()).isFalse();
		assertThat(this.deleted).containsExactly("books/a");
		assertThat(this.cleared).containsExactly("prices");
		assertThat(closing.size()).isZero();
	}

	@Test
	void closingGivesUpAfterTheCloseTimeoutAndNamesTheCachesAndCountsButNoKey() throws Exception {
		PendingInvalidations closing = pending(Duration.ofMillis(500));
		closing.evictionFailed("books", "tok_SECRET_3f9a2c");
		closing.evictionFailed("books", "tok_SECRET_4e1b7d");
		closing.clearFailed("prices", (key) -> true);
		Thread close = new Thread(closing::close);
		close.start();
		close.join(30_000);

		assertThat(close.isAlive()).isFalse();
		assertThat(closing.size()).isEqualTo(3);
		assertThat(closing.describe()).contains("'books' (2 keys, 0 clears)", "'prices' (0 keys, 1 clear)")
			.doesNotContain("SECRET");
	}

	@AfterEach
	void close() {
		this.pending.close();
	}

	private void failWhileDown() {
		if (this.down.get()) {
			throw new DynamoDbCacheException("down");
		}
	}

	@Test
	void aFailedEvictionHidesOnlyItsKeyUntilARetryConfirmsIt() {
		this.pending.evictionFailed("books", "a");

		assertThat(this.pending.hides("books", "a")).isTrue();
		assertThat(this.pending.hides("books", "b")).isFalse();
		assertThat(this.pending.hides("other", "a")).isFalse();

		this.down.set(false);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !this.pending.hides("books", "a"));
		assertThat(this.deleted).containsExactly("books/a");
		assertThat(this.pending.size()).isZero();
	}

	@Test
	void aFailedClearHidesTheKeysItsFilterMatches() {
		Predicate<String> users = (key) -> key.startsWith("user_");
		this.pending.clearFailed("sessions", users);

		assertThat(this.pending.hides("sessions", "user_1")).isTrue();
		assertThat(this.pending.hides("sessions", "admin_1")).isFalse();
		assertThat(this.pending.hidesAny("sessions")).isTrue();

		this.down.set(false);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !this.pending.hidesAny("sessions"));
		assertThat(this.cleared).containsExactly("sessions");
	}

	@Test
	void aConfirmationOfAnOlderEvictionDoesNotEndANewerOneOfTheSameKey() {
		long beforeFirst = this.pending.generation();
		this.pending.evictionFailed("books", "a");
		long beforeSecond = this.pending.generation();
		this.pending.evictionFailed("books", "a");

		this.pending.confirmed("books", "a", beforeFirst);
		assertThat(this.pending.hides("books", "a")).isTrue();

		this.pending.confirmed("books", "a", this.pending.generation());
		assertThat(this.pending.hides("books", "a")).isFalse();
		assertThat(beforeSecond).isGreaterThan(beforeFirst);
	}

	@Test
	void settlingAKeyRetriesItsEvictionOnTheCallersThreadAndFailsWhileDynamoDbDoes() {
		this.pending.evictionFailed("locks", "job");

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> this.pending.settle("locks", "job"));
		assertThat(this.pending.hides("locks", "job")).isTrue();

		this.down.set(false);
		this.pending.settle("locks", "job");
		assertThat(this.pending.hides("locks", "job")).isFalse();
		assertThat(this.deleted).contains("locks/job");
	}

	@Test
	void pastTheBoundACachesPendingKeysBecomeOneClearOfTheCache() {
		for (int i = 0; i <= PendingInvalidations.MAX_PENDING_KEYS; i++) {
			this.pending.evictionFailed("big", "key-" + i);
		}

		assertThat(this.pending.size()).isEqualTo(1);
		assertThat(this.pending.hides("big", "never-evicted")).isTrue();
		assertThat(this.pending.hides("small", "key-1")).isFalse();

		this.down.set(false);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.pending.size() == 0);
		assertThat(this.cleared).containsExactly("big");
		assertThat(this.deleted).isEmpty();
	}

}
