package io.dynamodbcache.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link NearCache} with one bounded Caffeine cache per cache name. The copies are the items as read, so
 * every hit decodes its own value: a caller that changes what it got cannot change what the next one gets,
 * as with DynamoDB itself. Items of idle-expiring entries are never copied, because each read of those must
 * reach DynamoDB to move their deadline. A copy is served for the time-to-live less up to a tenth, at random.
 */
final class CaffeineNearCache implements NearCache {

	/** Stamps are kept per stripe of keys: an invalidation voids the offers of its stripe only. */
	private static final int STRIPES = 256;

	private final NearCacheSettings settings;

	private final NearCacheListener listener;

	private final ConcurrentMap<String, Local> caches = new ConcurrentHashMap<>();

	CaffeineNearCache(NearCacheSettings settings, NearCacheListener listener) {
		this.settings = settings;
		this.listener = listener;
	}

	@Override
	public @Nullable Map<String, AttributeValue> get(String cacheName, String sortKey, long now) {
		Local local = this.caches.get(cacheName);
		Copy copy = (local != null) ? local.copies.getIfPresent(sortKey) : null;
		if (copy == null || now >= copy.servedUntil()) {
			this.listener.miss(cacheName);
			return null;
		}
		this.listener.hit(cacheName);
		return copy.item();
	}

	@Override
	public long stamp(String cacheName, String sortKey) {
		return local(cacheName).stamps.get(stripe(sortKey));
	}

	/** Called only with items that decoded to a live entry, so their attributes are well-formed. */
	@Override
	public void offer(String cacheName, String sortKey, long stamp, Map<String, AttributeValue> item, long now) {
		if (ItemMapper.longValue(item, ItemLayout.IDLE_MILLIS) != null) {
			return;
		}
		Local local = local(cacheName);
		int stripe = stripe(sortKey);
		if (local.stamps.get(stripe) != stamp) {
			return;
		}
		long timeToLive = this.settings.timeToLive().toMillis();
		// Up to a tenth shorter, at random: the copies of a hot key that every node read after the same change
		// expire apart, so that the fleet does not read it again all at once.
		long servedUntil = now + timeToLive - ThreadLocalRandom.current().nextLong(timeToLive / 10 + 1);
		Long expiresAt = ItemMapper.longValue(item, ItemLayout.EXPIRES_AT_MILLIS);
		local.copies.put(sortKey, new Copy(item, (expiresAt != null) ? Math.min(servedUntil, expiresAt) : servedUntil));
		if (local.stamps.get(stripe) != stamp) {
			// Invalidated between the check and the put: the invalidation may have missed this copy.
			local.copies.invalidate(sortKey);
		}
	}

	@Override
	public void invalidate(String cacheName, String sortKey, boolean fromStream) {
		Local local = this.caches.get(cacheName);
		if (local == null) {
			return;
		}
		local.stamps.incrementAndGet(stripe(sortKey));
		if (local.copies.asMap().remove(sortKey) != null) {
			this.listener.invalidated(cacheName, fromStream);
		}
	}

	@Override
	public void invalidateCache(String cacheName) {
		Local local = this.caches.get(cacheName);
		if (local != null) {
			local.invalidateAll();
		}
	}

	@Override
	public void invalidateAll() {
		this.caches.values().forEach(Local::invalidateAll);
	}

	private Local local(String cacheName) {
		return this.caches.computeIfAbsent(cacheName, (name) -> new Local(this.settings));
	}

	private static int stripe(String sortKey) {
		return sortKey.hashCode() & (STRIPES - 1);
	}

	/** The copies and stamps of one cache. */
	private static final class Local {

		private final Cache<String, Copy> copies;

		private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

		Local(NearCacheSettings settings) {
			// Caffeine's own expiry frees the memory; reads compare the store's clock with servedUntil.
			this.copies = Caffeine.newBuilder()
				.maximumSize(settings.maximumSize())
				.expireAfterWrite(settings.timeToLive())
				.build();
		}

		void invalidateAll() {
			for (int i = 0; i < STRIPES; i++) {
				this.stamps.incrementAndGet(i);
			}
			this.copies.invalidateAll();
		}

	}

	/** An item as read, and until when (epoch milliseconds) it may be served. */
	private record Copy(Map<String, AttributeValue> item, long servedUntil) {
	}

}
