package io.dynamodbcache.core;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;

/**
 * Makes the circuit breaker's half-open trial requests itself, on a daemon thread, so that no caller is
 * ever one: a caller's request is refused at once while the breaker is open or half-open
 * ({@link RequestPath}), and when DynamoDB still does not answer, the probe waits out the time budget, not a
 * caller. After the breaker's wait in the open state, the probe moves it to half-open and sends its
 * permitted number of trial requests (cheap reads of an item that no cache uses); they close it, or open it
 * again for another wait. Its thread exists only while the breaker is open ({@link BackgroundScheduler}).
 */
final class BreakerProbe {

	private final CircuitBreaker breaker;

	/** Weakly: a store that was dropped without being closed must not be probed for ever. */
	private final WeakReference<TableClient> table;

	private final ScheduledThreadPoolExecutor scheduler;

	private final AtomicInteger opensInARow = new AtomicInteger();

	private final AtomicLong openings = new AtomicLong();

	private final AtomicBoolean probing = new AtomicBoolean();

	/**
	 * @param breaker the breaker
	 * @param table sends the trial requests ({@link TableClient#trialRead()})
	 */
	BreakerProbe(CircuitBreaker breaker, TableClient table) {
		this.breaker = breaker;
		this.table = new WeakReference<>(table);
		this.scheduler = BackgroundScheduler.create("dynamodb-cache-breaker-probe", Duration.ofSeconds(5));
		breaker.getEventPublisher().onStateTransition(this::transitioned);
	}

	/** Whether a caller's request may go to DynamoDB: not while the probe owns the breaker's trials. */
	static boolean admitsCallers(State state) {
		return state != State.OPEN && state != State.HALF_OPEN && state != State.FORCED_OPEN;
	}

	private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
		switch (event.getStateTransition().getToState()) {
			case OPEN -> {
				long opening = this.openings.incrementAndGet();
				long wait = this.breaker.getCircuitBreakerConfig()
					.getWaitIntervalFunctionInOpenState()
					.apply(this.opensInARow.incrementAndGet());
				schedule(() -> {
					// Only the latest opening's wait: an earlier one's must not cut a later wait short.
					if (this.openings.get() == opening) {
						probe(true);
					}
				}, wait);
			}
			// Moved there by Resilience4j itself (its automatic transition) rather than by the probe.
			case HALF_OPEN -> schedule(() -> probe(false), 0);
			case CLOSED -> this.opensInARow.set(0);
			default -> {
			}
		}
	}

	private void schedule(Runnable task, long delayMillis) {
		try {
			this.scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed: the store is no longer used.
		}
	}

	/**
	 * Send the half-open breaker's trials.
	 * @param fromOpen whether the breaker's wait in the open state is over, so that the probe moves it to
	 * half-open first
	 */
	private void probe(boolean fromOpen) {
		TableClient table = this.table.get();
		if (table == null) {
			close();
			return;
		}
		if (!this.probing.compareAndSet(false, true)) {
			return;
		}
		try {
			if (fromOpen && this.breaker.getState() == State.OPEN) {
				this.breaker.transitionToHalfOpenState();
			}
			int trials = this.breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState();
			for (int i = 0; i < trials && this.breaker.getState() == State.HALF_OPEN; i++) {
				try {
					table.trialRead();
				}
				catch (RuntimeException ex) {
					// Recorded by the breaker, which opens again and brings the next probe after its wait.
				}
			}
			if (this.breaker.getState() == State.HALF_OPEN) {
				// Trials refused or not recorded: never leave callers shut out, try again after a wait.
				schedule(() -> probe(false),
						this.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
			}
		}
		catch (RuntimeException ex) {
			// The state changed under the probe (another transition won): the next transition schedules again.
		}
		finally {
			this.probing.set(false);
		}
	}

	/** Stop probing, with the store. */
	void close() {
		this.scheduler.shutdownNow();
	}

}
