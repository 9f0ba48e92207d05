package io.dynamodbcache.core;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The near caches of a store and of all its views: every write through any view drops the written key's
 * copies from all of them, and the table's stream, when a streams client is configured, drops the keys that
 * other JVMs wrote. The stream reader starts with the first near cache.
 */
final class NearCaching {

	private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

	private final @Nullable DynamoDbStreamsClient streams;

	private final TableClient table;

	private final Duration pollInterval;

	private final NearCacheListener listener;

	private final List<WeakReference<NearCache>> nearCaches = new CopyOnWriteArrayList<>();

	private volatile @Nullable StreamInvalidation stream;

	private volatile boolean closed;

	NearCaching(@Nullable DynamoDbStreamsClient streams, TableClient table, Duration pollInterval,
			NearCacheListener listener) {
		this.streams = streams;
		this.table = table;
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
		if (this.streams != null && this.stream == null && !this.closed) {
			StreamInvalidation reader = new StreamInvalidation(this.streams, this.table, this.pollInterval,
					this.listener, this);
			reader.start();
			this.stream = reader;
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
		StreamInvalidation reader = this.stream;
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
	synchronized boolean retireIfUnused(StreamInvalidation reader) {
		this.nearCaches.removeIf((reference) -> reference.get() == null);
		if (!this.nearCaches.isEmpty() || this.stream != reader) {
			return false;
		}
		this.stream = null;
		return true;
	}

	/** Whether the stream reader stands at the stream's tip, so that other JVMs' writes reach this one. */
	boolean isReadingStream() {
		StreamInvalidation reader = this.stream;
		return reader != null && reader.isReading();
	}

	synchronized void close() {
		this.closed = true;
		if (this.stream != null) {
			this.stream.close();
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
