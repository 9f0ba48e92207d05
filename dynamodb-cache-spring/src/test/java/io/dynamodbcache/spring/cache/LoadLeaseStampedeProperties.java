package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.CacheEntry;
import io.dynamodbcache.core.DynamoDbCacheException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stampedes of several nodes on one key, each node on a thread of its own with a generated arrival time,
 * lease-request time and miss read (answered, or failed as a throttled read fails), against one in-memory
 * table of a value and a lease that behaves as {@link io.dynamodbcache.core.DynamoDbLeases} does: the holder
 * stores the value and marks the lease released in one step. Whatever the schedule, the key is loaded once
 * and every node returns the loaded value. The schedules include nodes that read just before the holder
 * stores its value and ask for the lease just after, and nodes whose miss read fails: the two ways to load
 * twice that the fleet harness found.
 */
class LoadLeaseStampedeProperties {

	private static final Duration LOAD_TIME = Duration.ofMillis(60);

	@Property(tries = 30)
	void everyStampedeLoadsOnceAndEveryNodeGetsTheLoadedValue(@ForAll("stampedes") List<Node> nodes)
			throws Exception {
		Table table = new Table();
		AtomicInteger loads = new AtomicInteger();
		List<@Nullable Object> results = new CopyOnWriteArrayList<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (Node node : nodes) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
					results.add(node.call(table, loads));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}

		assertThat(loads).as("loads of %s", nodes).hasValue(1);
		assertThat(results).hasSize(nodes.size()).containsOnly("loaded");
	}

	@Provide
	Arbitrary<List<Node>> stampedes() {
		// Arrivals spread over twice the load time, so that some nodes arrive while the value is being stored.
		Arbitrary<Node> node = Combinators.combine(Arbitraries.integers().between(0, 2 * (int) LOAD_TIME.toMillis()),
				Arbitraries.integers().between(0, 20), Arbitraries.of(true, false, false))
			.as(Node::new);
		return node.list().ofMinSize(2).ofMaxSize(8);
	}

	/**
	 * One node's call of {@code get(key, loader)}.
	 * @param arrivesAfterMillis when it misses, after the stampede's start
	 * @param askMillis how long its lease requests take
	 * @param missReadFails whether its miss read fails (throttled) rather than being answered
	 */
	record Node(int arrivesAfterMillis, int askMillis, boolean missReadFails) {

		@Nullable Object call(Table table, AtomicInteger loads) throws InterruptedException {
			TimeUnit.MILLISECONDS.sleep(this.arrivesAfterMillis);
			long missReadAt = System.nanoTime();
			CacheEntry cached = this.missReadFails ? null : table.read();
			if (cached != null) {
				return cached.value();
			}
			LoadLease lease = new LoadLease(table.leasesAskedIn(Duration.ofMillis(this.askMillis)),
					LoadLease.Settings.forLeaseTime(Duration.ofSeconds(10)),
					new FailurePolicy("stampede", false, new DefaultCacheStatistics()));
			return lease.load("key", () -> {
				loads.incrementAndGet();
				try {
					TimeUnit.MILLISECONDS.sleep(LOAD_TIME.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "loaded";
			}, table::storeAndRelease, table::read, missReadAt, !this.missReadFails);
		}

	}

	/** One key's value and lease, as in the table. */
	static final class Table {

		private @Nullable Object value;

		private @Nullable String holder;

		private boolean released;

		private int tokens;

		synchronized @Nullable CacheEntry read() {
			return (this.value != null) ? new CacheEntry("key", this.value, Instant.now(), null, null, null, 0) : null;
		}

		/** Store the value and mark the lease released, in one step, as the store's BatchWriteItem does. */
		synchronized boolean storeAndRelease(@Nullable Object value, @Nullable String token) {
			this.value = value;
			if (token != null && token.equals(this.holder)) {
				this.released = true;
				return true;
			}
			return false;
		}

		LoadLease.LeaseStore leasesAskedIn(Duration askTime) {
			return new LoadLease.LeaseStore() {

				private final List<String> afterRelease = new CopyOnWriteArrayList<>();

				@Override
				public @Nullable String tryAcquire(String key, Duration leaseTime) {
					sleep(askTime.dividedBy(2));
					String token;
					synchronized (Table.this) {
						if (Table.this.holder != null && !Table.this.released) {
							token = null;
						}
						else {
							token = "token-" + (++Table.this.tokens);
							if (Table.this.released) {
								this.afterRelease.add(token);
							}
							Table.this.holder = token;
							Table.this.released = false;
						}
					}
					sleep(askTime.dividedBy(2));
					return token;
				}

				@Override
				public boolean followsARelease(String token) {
					return this.afterRelease.contains(token);
				}

				@Override
				public void release(String key, String token) {
					synchronized (Table.this) {
						if (token.equals(Table.this.holder)) {
							Table.this.holder = null;
							Table.this.released = false;
						}
					}
				}

			};
		}

		private static void sleep(Duration duration) {
			try {
				TimeUnit.NANOSECONDS.sleep(duration.toNanos());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DynamoDbCacheException("interrupted");
			}
		}

	}

}
