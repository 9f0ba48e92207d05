package io.dynamodbcache.core;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The near caches of a store and of all its views: every write through any view drops the written key's
 * copies from all of them, and the table's stream, when a streams client is configured, drops the keys that
 * other JVMs wrote, relayed through the table's invalidation feed ({@link InvalidationRelay}). The relay starts
 * with the first near cache.
 */
final class NearCaching {

	private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

	private final @Nullable DynamoDbStreamsClient streams;

	private final TableClient table;

	private final Clock clock;

	private final Duration pollInterval;

	private final NearCacheListener listener;

	private final List<WeakReference<NearCache>> nearCaches = new CopyOnWriteArrayList<>();

	private volatile @Nullable InvalidationRelay relay;

	private volatile boolean closed;

	NearCaching(@Nullable DynamoDbStreamsClient streams, TableClient table, Clock clock, Duration pollInterval,
			NearCacheListener listener) {
		this.streams = streams;
		this.table = table;
		this.clock = clock;
		this.pollInterval = pollInterval;
		this.listener = listener;
	}

	/** A new near cache, forgotten when no view uses it any more. */
	synchronized NearCache create(NearCacheSettings settings) {
		if (!isCaffeinePresent()) {
			throw new IllegalStateException("A near cache needs Caffeine: add com.github.ben-manes.caffeine:caffeine "
					+ "to the application's dependencies, or leave the near cache disabled");
		}
		NearCache nearCache = new CaffeineNearCache(settings, this.listener);
		this.nearCaches.removeIf((reference) -> reference.get() == null);
		this.nearCaches.add(new WeakReference<>(nearCache));
		if (this.streams != null && this.relay == null && !this.closed) {
			InvalidationRelay reader = new InvalidationRelay(this.streams, this.table, this.clock, this.pollInterval,
					this.listener, this);
			reader.start();
			this.relay = reader;
		}
		return nearCache;
	}

	/** Drop the copies of a key that this JVM is writing or deleting, or that the stream reported. */
	void invalidate(String cacheName, String sortKey, boolean fromStream) {
		forEach((nearCache) -> nearCache.invalidate(cacheName, sortKey, fromStream));
	}

	void invalidateCache(String cacheName) {
		forEach((nearCache) -> nearCache.invalidateCache(cacheName));
	}

	void invalidateAll() {
		forEach(NearCache::invalidateAll);
	}

	/** Note the end of a successful write, to measure how long the other JVMs take to hear of it. */
	void wrote(String cacheName, String sortKey) {
		InvalidationRelay reader = this.relay;
		if (reader != null) {
			reader.wrote(cacheName, sortKey);
		}
	}

	/**
	 * Let a stream reader end when no view uses a near cache any more (their owners dropped them without
	 * {@link #close}, as a Lucee server may drop a cache connection); a near cache created later starts a new
	 * reader.
	 * @return whether the reader is to end
	 */
	synchronized boolean retireIfUnused(InvalidationRelay reader) {
		this.nearCaches.removeIf((reference) -> reference.get() == null);
		if (!this.nearCaches.isEmpty() || this.relay != reader) {
			return false;
		}
		this.relay = null;
		return true;
	}

	/** Whether the relay reads the invalidation feed and a live reader writes it: other JVMs' writes reach this one. */
	boolean isReadingStream() {
		InvalidationRelay reader = this.relay;
		return reader != null && reader.isReading();
	}

	/** Whether this JVM is the one that reads the table's stream for the fleet. */
	boolean isStreamReader() {
		InvalidationRelay reader = this.relay;
		return reader != null && reader.isLeading();
	}

	synchronized void close() {
		this.closed = true;
		if (this.relay != null) {
			this.relay.close();
		}
	}

	private void forEach(Consumer<NearCache> action) {
		for (WeakReference<NearCache> reference : this.nearCaches) {
			NearCache nearCache = reference.get();
			if (nearCache != null) {
				action.accept(nearCache);
			}
		}
	}

	private static boolean isCaffeinePresent() {
		try {
			Class.forName(CAFFEINE, false, NearCaching.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
