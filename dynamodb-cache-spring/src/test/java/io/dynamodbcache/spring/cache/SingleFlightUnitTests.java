package io.dynamodbcache.spring.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SingleFlightUnitTests {

	private final SingleFlight loads = new SingleFlight();

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void concurrentLoadsOfOneKeyRunOnceAndAllGetTheResult() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<Future<Object>> callers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			callers.add(this.executor.submit(() -> this.loads.load("k", () -> {
				runs.incrementAndGet();
				await(release);
				return "v";
			})));
		}
		Thread.sleep(200);
		release.countDown();

		for (Future<Object> caller : callers) {
			assertThat(caller.get(5, TimeUnit.SECONDS)).isEqualTo("v");
		}
		assertThat(runs).hasValue(1);
	}

	@Test
	void aFailedLoadFailsItsWaitersAndTheNextLoadRunsAgain() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Future<Object> loader = this.executor.submit(() -> this.loads.load("k", () -> {
			started.countDown();
			await(release);
			throw new IllegalStateException("origin down");
		}));
		started.await(5, TimeUnit.SECONDS);
		Future<Object> waiter = this.executor.submit(() -> this.loads.load("k", () -> "never"));
		Thread.sleep(100);
		release.countDown();

		assertThat(loader).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingCause().withMessage("origin down");
		assertThat(waiter).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingCause().withMessage("origin down");
		assertThat(this.loads.load("k", () -> "again")).isEqualTo("again");
	}

	@Test
	void loadsOfDifferentKeysDoNotWaitForEachOther() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Future<Object> slow = this.executor.submit(() -> this.loads.load("slow", () -> {
			await(release);
			return "slow";
		}));

		assertThat(this.loads.load("fast", () -> "fast")).isEqualTo("fast");
		release.countDown();
		assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
		assertThatIllegalStateException().isThrownBy(() -> this.loads.load("k", () -> {
			throw new IllegalStateException("direct");
		}));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
