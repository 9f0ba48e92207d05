package io.dynamodbcache.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Local copies of the items a store view read, by cache name and sort key. A reader takes a
 * {@linkplain #stamp stamp} before it asks DynamoDB and {@linkplain #offer offers} what it read with that
 * stamp: an invalidation of the key in between makes the offer void, so that a slow read never brings back a
 * value that a write has replaced meanwhile.
 */
interface NearCache {

	/** The near cache of a view that has none: always a miss. */
	NearCache NONE = new NearCache() {

		@Override
		public @Nullable Map<String, AttributeValue> get(String cacheName, String sortKey, long now) {
			return null;
		}

		@Override
		public long stamp(String cacheName, String sortKey) {
			return 0;
		}

		@Override
		public void offer(String cacheName, String sortKey, long stamp, Map<String, AttributeValue> item, long now) {
		}

		@Override
		public void invalidate(String cacheName, String sortKey, boolean fromStream) {
		}

		@Override
		public void invalidateCache(String cacheName) {
		}

		@Override
		public void invalidateAll() {
		}

	};

	/** The local copy of a key's item, or {@code null}. */
	@Nullable Map<String, AttributeValue> get(String cacheName, String sortKey, long now);

	/** The key's stamp, to take before reading it from DynamoDB. */
	long stamp(String cacheName, String sortKey);

	/** Keep a copy of an item just read, unless its key was invalidated since the stamp was taken. */
	void offer(String cacheName, String sortKey, long stamp, Map<String, AttributeValue> item, long now);

	/** Drop the copy of a key that was written or deleted. */
	void invalidate(String cacheName, String sortKey, boolean fromStream);

	/** Drop every copy of a cache that was cleared. */
	void invalidateCache(String cacheName);

	/** Drop every copy, when changes may have been missed. */
	void invalidateAll();

}
