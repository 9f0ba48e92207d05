package io.dynamodbcache.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.FaultProxy;
import io.dynamodbcache.testsupport.MutableClock;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache on a real DynamoDB Local: hits without requests, invalidation by this JVM's writes at once
 * and by other JVMs' writes through the table's stream, the time-to-live bound when the stream is not read,
 * and a stream that DynamoDB does not answer. Two stores on one table stand for two JVMs.
 */
@DynamoDbLocalTest
class NearCacheTests {

	private static final NearCacheSettings LONG_LIVED = new NearCacheSettings(1_000, Duration.ofMinutes(10));

	private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private final List<Duration> lags = new CopyOnWriteArrayList<>();

	private final LongAdder streamInvalidations = new LongAdder();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private DynamoDbCacheStoreBuilder builder(DynamoDbClient client, String table) {
		return DynamoDbCacheStore.builder(client)
			.tableName(table)
			.codec(JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build())
			.requestListener((operation, duration, failure) -> this.requests
				.computeIfAbsent(operation, (name) -> new LongAdder()).increment())
			.nearCacheListener(new NearCacheListener() {

				@Override
				public void invalidated(String cacheName, boolean fromStream) {
					if (fromStream) {
						NearCacheTests.this.streamInvalidations.increment();
					}
				}

				@Override
				public void invalidationLag(Duration lag) {
					NearCacheTests.this.lags.add(lag);
				}

			});
	}

	/** A store that reads the table's stream, as each JVM of a fleet would. */
	/** A fault proxy in front of DynamoDB Local, closed after the test. */
	private FaultProxy proxy() {
		FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint());
		this.closeables.add(proxy);
		return proxy;
	}

	private DynamoDbCacheStore node(DynamoDbClient client, String table, NearCacheSettings settings) {
		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		this.closeables.add(streams);
		DynamoDbCacheStore store = builder(client, table).streamsClient(streams)
			.streamPollInterval(Duration.ofMillis(100))
			.build();
		this.closeables.add(store::close);
		DynamoDbCacheStore near = store.withNearCache(settings);
		await(near::isReadingStream);
		return near;
	}

	private long requests(String operation) {
		LongAdder count = this.requests.get(operation);
		return (count != null) ? count.sum() : 0;
	}

	/** Wait until the condition holds, 10 s at most. */
	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(condition::getAsBoolean);
	}

	@Test
	void aHitMakesNoRequestAndDecodesItsOwnCopyOfTheValue(DynamoDbClient client, UniqueTableName table) {
		DynamoDbCacheStore store = builder(client, table.value()).build().withNearCache(LONG_LIVED);
		store.put("books", "isbn", new Book("isbn-1", "Dune", List.of(new Author("Frank", "Herbert")),
				new BigDecimal("9.99"), Instant.parse("1965-08-01T00:00:00Z")));
		Object first = store.get("books", "isbn");
		this.requests.clear();

		Object second = store.get("books", "isbn");
		CacheEntry entry = store.getEntry("books", "isbn");

		assertThat(this.requests).isEmpty();
		assertThat(second).isEqualTo(first).isNotSameAs(first);
		assertThat(entry.value()).isEqualTo(first).isNotSameAs(second);
		assertThat(store.containsKey("books", "isbn")).isTrue();
		assertThat(store.getAll("books", List.of("isbn"))).containsOnlyKeys("isbn");
		assertThat(store.getEntryAsync("books", "isbn").join().value()).isEqualTo(first);
		assertThat(this.requests).isEmpty();
	}

	@Test
	void thisJvmsWritesDeletesAndClearsAreSeenAtOnce(DynamoDbClient client, UniqueTableName table) {
		DynamoDbCacheStore store = builder(client, table.value()).build().withNearCache(LONG_LIVED);
		store.put("c", "k", "one");
		assertThat(store.get("c", "k")).isEqualTo("one");

		store.put("c", "k", "two");
		assertThat(store.get("c", "k")).isEqualTo("two");
		store.putAsync("c", "k", "three", null, null).join();
		assertThat(store.get("c", "k")).isEqualTo("three");
		store.putAll("c", Map.of("k", "four"), null, null);
		assertThat(store.get("c", "k")).isEqualTo("four");
		assertThat(store.deleteIfValue("c", "k", "four")).isTrue();
		assertThat(store.get("c", "k")).isNull();
		assertThat(store.putIfAbsent("c", "k", "five", null, null)).isNull();
		assertThat(store.get("c", "k")).isEqualTo("five");
		store.delete("c", "k");
		assertThat(store.get("c", "k")).isNull();
		assertThat(store.increment("c", "n", 1, null)).isEqualTo(1);
		assertThat(store.getEntry("c", "n").value()).isEqualTo(1L);
		assertThat(store.increment("c", "n", 1, null)).isEqualTo(2);
		assertThat(store.getEntry("c", "n").value()).isEqualTo(2L);
		store.put("c", "k", "six");
		assertThat(store.get("c", "k")).isEqualTo("six");
		store.clear("c");
		assertThat(store.get("c", "k")).isNull();
	}

	@Test
	void aWriteThroughAnotherViewOfTheStoreIsSeenAtOnce(DynamoDbClient client, UniqueTableName table) {
		DynamoDbCacheStore plain = builder(client, table.value()).build();
		DynamoDbCacheStore near = plain.withNearCache(LONG_LIVED);
		near.put("c", "k", "one");
		assertThat(near.get("c", "k")).isEqualTo("one");

		plain.put("c", "k", "two");

		assertThat(near.get("c", "k")).isEqualTo("two");
	}

	@Test
	void anotherJvmsWritesReachThisOneThroughTheStream(DynamoDbClient client, UniqueTableName table) {
		DynamoDbCacheStore first = node(client, table.value(), LONG_LIVED);
		DynamoDbCacheStore second = node(client, table.value(), LONG_LIVED);
		first.put("c", "k", "one");
		first.put("c", "long-" + "x".repeat(2000), "one");
		assertThat(second.get("c", "k")).isEqualTo("one");
		assertThat(second.get("c", "long-" + "x".repeat(2000))).isEqualTo("one");

		first.put("c", "k", "two");
		first.put("c", "long-" + "x".repeat(2000), "two");
		await(() -> "two".equals(second.get("c", "k")));
		await(() -> "two".equals(second.get("c", "long-" + "x".repeat(2000))));

		first.delete("c", "k");
		await(() -> second.get("c", "k") == null);
		// How many copies the stream dropped depends on when the records of the first puts arrived; the
		// awaits above prove the drops (the copies live 10 minutes), this proves the listener hears of them.
		assertThat(this.streamInvalidations.sum()).isPositive();

		first.put("c", "k", "three");
		assertThat(second.get("c", "k")).isEqualTo("three");
		first.clear("c");
		await(() -> second.get("c", "k") == null);
		// The first JVM measured how long its own writes took to come back on the stream.
		assertThat(this.lags).isNotEmpty().allSatisfy((lag) -> assertThat(lag).isPositive());
	}

	@Test
	void withoutTheStreamAnotherJvmsWriteIsServedForAtMostTheTimeToLive(DynamoDbClient client,
			UniqueTableName table) {
		MutableClock clock = MutableClock.startingNow();
		DynamoDbCacheStore writer = builder(client, table.value()).clock(clock).build();
		DynamoDbCacheStore reader = builder(client, table.value()).clock(clock)
			.build()
			.withNearCache(new NearCacheSettings(100, Duration.ofSeconds(5)));
		writer.put("c", "k", "one");
		assertThat(reader.get("c", "k")).isEqualTo("one");

		writer.put("c", "k", "two");
		// Served for the time-to-live less up to a tenth, at random.
		clock.advance(Duration.ofMillis(4_499));
		assertThat(reader.get("c", "k")).isEqualTo("one");
		clock.advance(Duration.ofMillis(501));
		assertThat(reader.get("c", "k")).isEqualTo("two");
	}

	@Test
	void aCopyIsNotServedPastItsEntrysExpiry(DynamoDbClient client, UniqueTableName table) {
		MutableClock clock = MutableClock.startingNow();
		DynamoDbCacheStore store = builder(client, table.value()).clock(clock).build().withNearCache(LONG_LIVED);
		store.put("c", "k", "v", Duration.ofSeconds(2), null);
		assertThat(store.get("c", "k")).isEqualTo("v");

		clock.advance(Duration.ofSeconds(2));

		assertThat(store.get("c", "k")).isNull();
	}

	@Test
	void idleExpiringEntriesAreReadFromDynamoDbEveryTimeToMoveTheirDeadline(DynamoDbClient client,
			UniqueTableName table) {
		MutableClock clock = MutableClock.startingNow();
		DynamoDbCacheStore store = builder(client, table.value()).clock(clock).build().withNearCache(LONG_LIVED);
		store.put("c", "k", "v", null, Duration.ofMinutes(1));
		store.get("c", "k");
		this.requests.clear();

		for (int i = 0; i < 3; i++) {
			clock.advance(Duration.ofSeconds(40));
			assertThat(store.get("c", "k")).isEqualTo("v");
		}

		assertThat(requests("GetItem")).isEqualTo(3);
	}

	@Test
	void aFeedThatDynamoDbStopsAnsweringNeverStallsReadsAndIsReadAgainWhenItAnswers(DynamoDbClient client,
			UniqueTableName table) throws Exception {
		DynamoDbCacheStore writer = node(client, table.value(), LONG_LIVED);
		writer.put("c", "k", "one");
		// Once the writer sees its change in the feed, the reader below starts after it: the feed's entry for "one"
		// cannot drop the reader's copy after it was read (on a busy machine it could arrive after the read).
		await(() -> !this.lags.isEmpty());
		FaultProxy proxy = proxy();
		DynamoDbClient proxied = proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		this.closeables.add(streams);
		DynamoDbCacheStore readerStore = builder(proxied, table.value()).streamsClient(streams)
			.streamPollInterval(Duration.ofMillis(100))
			.build();
		this.closeables.add(readerStore::close);
		DynamoDbCacheStore reader = readerStore.withNearCache(LONG_LIVED);
		await(reader::isReadingStream);
		assertThat(reader.isStreamReader()).as("the first node reads the stream for both").isFalse();
		assertThat(reader.get("c", "k")).isEqualTo("one");

		proxy.blackHole();
		writer.put("c", "k", "two");
		await(() -> !reader.isReadingStream());
		long start = System.nanoTime();
		assertThat(reader.get("c", "k")).isEqualTo("one");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

		proxy.passThrough();
		// The reader reads on from where it stopped in the feed and finds the change it could not read meanwhile.
		await(reader::isReadingStream);
		await(() -> "two".equals(reader.get("c", "k")));
	}

	@Test
	void oneNodeReadsTheStreamForTheFleetAndAnotherGoesOnFromItsCheckpointWhenItStops(DynamoDbClient client,
			UniqueTableName table) throws Exception {
		List<DynamoDbCacheStore> nodes = new ArrayList<>();
		List<DynamoDbCacheStore> stores = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
			this.closeables.add(streams);
			DynamoDbCacheStore store = builder(client, table.value()).streamsClient(streams)
				.streamPollInterval(Duration.ofMillis(100))
				.build();
			this.closeables.add(store::close);
			stores.add(store);
			nodes.add(store.withNearCache(LONG_LIVED));
		}
		await(() -> nodes.stream().allMatch(DynamoDbCacheStore::isReadingStream));
		assertThat(nodes.stream().filter(DynamoDbCacheStore::isStreamReader)).hasSize(1);
		DynamoDbCacheStore first = nodes.stream().filter(DynamoDbCacheStore::isStreamReader).findFirst().orElseThrow();
		List<DynamoDbCacheStore> others = nodes.stream().filter((node) -> node != first).toList();
		DynamoDbCacheStore writer = others.get(0);
		DynamoDbCacheStore follower = others.get(1);
		writer.put("c", "k", 1);
		await(() -> Integer.valueOf(1).equals(follower.get("c", "k")));

		// The reader stops (its store is closed: it gives its lease up) while changes go on.
		stores.get(nodes.indexOf(first)).close();
		for (int i = 2; i <= 20; i++) {
			writer.put("c", "k" + i, i);
		}
		writer.put("c", "k", 2);
		await(() -> others.stream().filter(DynamoDbCacheStore::isStreamReader).count() == 1);
		await(() -> Integer.valueOf(2).equals(follower.get("c", "k")));
		// It saw the lease released, then taken over: it says it is reading once it has seen the new token.
		await(follower::isReadingStream);
	}

	@Test
	void aReaderThatCannotReadTheStreamHandsOverToANodeThatCan(DynamoDbClient client, UniqueTableName table)
			throws Exception {
		FaultProxy proxy = proxy();
		DynamoDbStreamsClient blocked = proxy.newStreamsClient();
		this.closeables.add(blocked);
		DynamoDbCacheStore firstStore = builder(client, table.value()).streamsClient(blocked)
			.streamPollInterval(Duration.ofMillis(100))
			.build();
		this.closeables.add(firstStore::close);
		DynamoDbCacheStore first = firstStore.withNearCache(LONG_LIVED);
		// Alone on the table, it becomes the reader; on a busy machine a slow request can make it give the lease up
		// and take it again first, so the test waits for the event, not for one poll's state.
		await(() -> first.isReadingStream() && first.isStreamReader());
		DynamoDbCacheStore second = node(client, table.value(), LONG_LIVED);
		second.put("c", "k", "one");
		await(() -> "one".equals(first.get("c", "k")));

		proxy.blackHole();
		second.put("c", "k", "two");
		// Within about a lease time (5 s) the first node gives up, and the second goes on from its checkpoint.
		await(second::isStreamReader);
		await(() -> "two".equals(first.get("c", "k")));
		await(first::isReadingStream);
	}

	@Test
	void concurrentMissesOfOneKeyOnOneNodeShareOneRead(UniqueTableName table) throws Exception {
		// The fleet measurement: simultaneous near-cache misses on one node were not merged, so each
		// refresh of a hot key cost one read per thread.
		FaultProxy proxy = proxy();
		DynamoDbClient slow = proxy.newClient();
		this.closeables.add(slow);
		DynamoDbCacheStore store = builder(slow, table.value())
			.requestBudget(new RequestBudget(Duration.ofSeconds(2), Duration.ofSeconds(3), 1))
			.build();
		this.closeables.add(store::close);
		DynamoDbCacheStore near = store.withNearCache(LONG_LIVED);
		store.put("c", "hot", "v");
		proxy.delay(Duration.ofMillis(300));
		this.requests.clear();

		int threads = 16;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		this.closeables.add(pool::shutdownNow);
		List<CompletableFuture<Object>> reads = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			reads.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				return near.get("c", "hot");
			}, pool));
		}

		for (CompletableFuture<Object> read : reads) {
			assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v");
		}
		assertThat(requests("GetItem")).as("reads sent for 16 concurrent misses").isEqualTo(1);
	}

	@Test
	void aThrottledStreamReaderSaysSoAndGoesOnFromWhereItStoppedWithoutDroppingItsCopies(DynamoDbClient client,
			UniqueTableName table) throws Exception {
		// Found by the fleet measurements: while throttled, isReadingStream() stayed true; a
		// ThrottlingException (not a LimitExceededException) restarted the reader at the stream's tip and dropped
		// the node's whole near cache. Now the throttled reader hands the stream over, and nothing is dropped.
		FaultProxy proxy = proxy();
		DynamoDbStreamsClient streams = proxy.newStreamsClient();
		this.closeables.add(streams);
		AtomicInteger reads = new AtomicInteger();
		DynamoDbCacheStore readerStore = builder(client, table.value()).streamsClient(streams)
			.streamPollInterval(Duration.ofMillis(100))
			.requestListener((operation, duration, failure) -> {
				if (operation.equals("GetItem")) {
					reads.incrementAndGet();
				}
			})
			.build();
		this.closeables.add(readerStore::close);
		DynamoDbCacheStore reader = readerStore.withNearCache(LONG_LIVED);
		await(reader::isReadingStream);
		assertThat(reader.isStreamReader()).isTrue();
		DynamoDbCacheStore writer = node(client, table.value(), LONG_LIVED);
		writer.put("c", "kept", "k");
		writer.put("c", "changed", "one");
		// Both writes are in the feed, with the reader's checkpoint after them (the writer read them back); the
		// reader, which reads the feed every 100 ms, applies them too before taking its copies: an invalidation
		// that arrived after a copy of the new value would drop it (one more read, and this test would fail).
		await(() -> this.lags.size() >= 2);
		Thread.sleep(500);
		assertThat(reader.get("c", "kept")).isEqualTo("k");
		assertThat(reader.get("c", "changed")).isEqualTo("one");

		proxy.throttle(1.0);
		writer.put("c", "changed", "two");
		// The throttled reader hands over to the writer, which goes on from the reader's checkpoint.
		await(() -> !reader.isStreamReader());

		await(reader::isReadingStream);
		await(() -> "two".equals(reader.get("c", "changed")));
		int readsBefore = reads.get();
		assertThat(reader.get("c", "kept")).isEqualTo("k");
		assertThat(reads.get()).as("reads from DynamoDB: the copy of the unchanged key was kept").isEqualTo(readsBefore);
	}

	@Test
	void nodesThatStartTogetherOnATableWithoutAStreamAllReadTheStreamThatOneOfThemEnabled(DynamoDbClient client,
			UniqueTableName table) throws Exception {
		// A generous budget: this test is about when the nodes read the stream, not about time limits.
		RequestBudget budget = new RequestBudget(Duration.ofSeconds(5), Duration.ofSeconds(10), 3);
		builder(client, table.value()).requestBudget(budget).build().ensureTable();
		// A node that failed to read the stream tries again only after twice the poll interval, 10 s here.
		Duration pollInterval = Duration.ofSeconds(5);
		List<DynamoDbCacheStore> nodes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
			this.closeables.add(streams);
			DynamoDbCacheStore store = builder(client, table.value()).streamsClient(streams)
				.streamPollInterval(pollInterval)
				.requestBudget(budget)
				.build();
			this.closeables.add(store::close);
			nodes.add(store);
		}
		CyclicBarrier start = new CyclicBarrier(nodes.size());
		List<Thread> threads = new ArrayList<>();
		// Kept, so that the stream readers do not end for want of a near cache.
		List<DynamoDbCacheStore> views = new CopyOnWriteArrayList<>();
		for (DynamoDbCacheStore node : nodes) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				views.add(node.withNearCache(LONG_LIVED));
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long started = System.nanoTime();

		// DynamoDB refuses all but the first node's enabling of the stream; the others use that stream.
		await(() -> nodes.stream().allMatch(DynamoDbCacheStore::isReadingStream));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
		assertThat(views).hasSize(4);
	}

	@Test
	void theStreamReaderEndsWhenNoNearCacheIsInUseAndANewNearCacheStartsAnother(DynamoDbClient client,
			UniqueTableName table) {
		DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();
		this.closeables.add(streams);
		DynamoDbCacheStore store = builder(client, table.value()).streamsClient(streams)
			.streamPollInterval(Duration.ofMillis(50))
			.build();
		this.closeables.add(store::close);
		DynamoDbCacheStore view = store.withNearCache(LONG_LIVED);
		await(store::isReadingStream);
		assertThat(readerThreads(table.value())).isEqualTo(1);

		// Dropped without close(), as a Lucee server may drop a cache connection.
		view = null;
		await(() -> {
			System.gc();
			return !store.isReadingStream() && readerThreads(table.value()) == 0;
		});

		DynamoDbCacheStore again = store.withNearCache(LONG_LIVED);
		await(store::isReadingStream);
		assertThat(readerThreads(table.value())).isEqualTo(1);
		assertThat(again.isReadingStream()).isTrue();
	}

	private static long readerThreads(String table) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("dynamodb-cache-invalidation-" + table) && thread.isAlive())
			.count();
	}

	@Test
	void aTableWithoutAStreamGetsOneWhenTableCreationIsEnabled(DynamoDbClient client, UniqueTableName table) {
		node(client, table.value(), LONG_LIVED);

		assertThat(client.describeTable((request) -> request.tableName(table.value()))
			.table()
			.streamSpecification()
			.streamEnabled()).isTrue();
	}

}
