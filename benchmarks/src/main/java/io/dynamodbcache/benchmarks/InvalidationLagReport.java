package io.dynamodbcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheListener;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLocal;

import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * How long a near cache on one node serves a value that another node has replaced, on an in-process
 * DynamoDB Local: two stores on one table stand for two nodes; the writer, started first, reads the table's
 * stream for both and relays the changed keys through the invalidation feed, which both read. The writer
 * replaces the value of a key at a random time within a poll interval; the reader, which holds a near-cache
 * copy of the old value, reads the key every millisecond until it gets the new value. The lag is the time from the end of the write to that
 * read. Also printed: the time from the end of a write until the writer read it back from the feed (what
 * {@code dynamodb.cache.near.invalidation.lag} measures in production).
 * <p>
 * Not JMH: it measures a distribution of delays, not a rate. Run with
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.InvalidationLagReport}.
 */
public final class InvalidationLagReport {

	private static final String TABLE = "invalidation-lag";

	private InvalidationLagReport() {
	}

	public static void main(String[] args) throws Exception {
		int writes = (args.length > 0 && args[0].matches("\\d+")) ? Integer.parseInt(args[0]) : 100;
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			System.out.println("| stream poll interval | writes | reader sees the new value: p50 / p99 / max "
					+ "| write to the writer reading it back from the feed: p50 / p99 / max |");
			System.out.println("|---|---:|---|---|");
			for (Duration pollInterval : List.of(Duration.ofSeconds(1), Duration.ofMillis(250),
					Duration.ofMillis(100))) {
				measure(local, pollInterval, writes);
			}
		}
		System.exit(0);
	}

	private static void measure(DynamoDbLocal local, Duration pollInterval, int writes) throws InterruptedException {
		List<Duration> recordLags = new CopyOnWriteArrayList<>();
		NearCacheListener listener = new NearCacheListener() {

			@Override
			public void invalidationLag(Duration lag) {
				recordLags.add(lag);
			}

		};
		try (DynamoDbStreamsClient writerStreams = local.newStreamsClient();
				DynamoDbStreamsClient readerStreams = local.newStreamsClient()) {
			DynamoDbCacheStore writerStore = node(local, writerStreams, pollInterval, listener);
			DynamoDbCacheStore readerStore = node(local, readerStreams, pollInterval, NearCacheListener.none());
			NearCacheSettings settings = new NearCacheSettings(1_000, Duration.ofHours(1));
			DynamoDbCacheStore writer = writerStore.withNearCache(settings);
			DynamoDbCacheStore reader = readerStore.withNearCache(settings);
			awaitReading(writer);
			awaitReading(reader);
			String cache = "lag-" + pollInterval.toMillis();
			writer.put(cache, "k", 0L);
			awaitValue(reader, cache, 0L);
			List<Duration> lags = new ArrayList<>(writes);
			for (long i = 1; i <= writes; i++) {
				// Writes come at random times relative to the readers' polls, as they do in production.
				Thread.sleep(ThreadLocalRandom.current().nextLong(pollInterval.toMillis()));
				writer.put(cache, "k", i);
				long written = System.nanoTime();
				awaitValue(reader, cache, i);
				lags.add(Duration.ofNanos(System.nanoTime() - written));
			}
			writerStore.close();
			readerStore.close();
			System.out.printf("| %d ms | %d | %s | %s |%n", pollInterval.toMillis(), writes, percentiles(lags),
					percentiles(new ArrayList<>(recordLags)));
		}
	}

	private static DynamoDbCacheStore node(DynamoDbLocal local, DynamoDbStreamsClient streams, Duration pollInterval,
			NearCacheListener listener) {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(local.client())
			.tableName(TABLE)
			.streamsClient(streams)
			.streamPollInterval(pollInterval)
			.nearCacheListener(listener)
			.build();
		store.ensureTable();
		return store;
	}

	private static void awaitReading(DynamoDbCacheStore store) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!store.isReadingStream()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The stream reader did not start within 30 s");
			}
			Thread.sleep(10);
		}
	}

	private static void awaitValue(DynamoDbCacheStore reader, String cache, long expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!Objects.equals(reader.get(cache, "k"), expected)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The reader did not see value " + expected + " within 30 s");
			}
			Thread.sleep(1);
		}
	}

	private static String percentiles(List<Duration> lags) {
		if (lags.isEmpty()) {
			return "none";
		}
		Collections.sort(lags);
		return millis(lags.get(lags.size() / 2)) + " / " + millis(lags.get((int) Math.ceil(lags.size() * 0.99) - 1))
				+ " / " + millis(lags.get(lags.size() - 1));
	}

	private static String millis(Duration duration) {
		return duration.toMillis() + " ms";
	}

}
