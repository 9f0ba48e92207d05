package io.dynamodbcache.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.ItemMapper.Decoded;
import io.dynamodbcache.core.ItemMapper.Live;
import io.dynamodbcache.core.ItemMapper.PreparedItem;
import io.dynamodbcache.core.ItemMapper.Undecodable;
import io.dynamodbcache.core.RequestPath.Target;

/**
 * Reads and writes of entries by key, one or a batch at a time, for one codec: an item read becomes a live
 * entry (sliding its idle expiry when a read gains enough), a miss, or an undecodable item that is evicted
 * unless it was replaced meanwhile.
 */
final class EntryOperations {

	private static final Logger logger = LoggerFactory.getLogger(EntryOperations.class);

	/** The stamp of reads whose item must not be copied into the near cache. */
	private static final long NO_STAMP = Long.MIN_VALUE;

	/** Conditional writes that may find another chunked value in the way each time, before one that may not. */
	private static final int REPLACE_ATTEMPTS = 4;

	private final RateLimitedLog undecodableLog = new RateLimitedLog(logger);

	private final RateLimitedLog writeFailureLog = new RateLimitedLog(logger);

	private final TableClient table;

	private final ItemLayout layout;

	private final ItemMapper mapper;

	private final BatchOperations batches;

	private final Clock clock;

	private final NearCache nearCache;

	private final MergedReads mergedReads;

	private final ChunkedValues chunks;

	EntryOperations(TableClient table, ItemLayout layout, ItemMapper mapper, Clock clock, NearCache nearCache) {
		this.table = table;
		this.layout = layout;
		this.mapper = mapper;
		this.chunks = new ChunkedValues(table, mapper.maxValueSize(), clock);
		this.batches = new BatchOperations(table);
		this.clock = clock;
		this.nearCache = nearCache;
		this.mergedReads = new MergedReads(table.apiCallTimeout());
	}

	@Nullable CacheEntry get(String cacheName, String key) {
		CacheEntry near = nearEntry(cacheName, key);
		if (near != null) {
			return near;
		}
		if (this.nearCache == NearCache.NONE) {
			Map<String, AttributeValue> item = this.table.getItem(Target.key(cacheName, key),
					this.layout.primaryKey(cacheName, key), false, null);
			return toLiveEntry(cacheName, key, item, this.clock.millis(), true, NO_STAMP);
		}
		String sortKey = ItemLayout.sortKey(key);
		long stamp = this.nearCache.stamp(cacheName, sortKey);
		Map<String, AttributeValue> item = this.mergedReads.read(cacheName, sortKey, stamp,
				() -> this.chunks.join(cacheName, this.table.getItem(Target.key(cacheName, key),
						this.layout.primaryKey(cacheName, key), false, null), () -> readHeadAgain(cacheName, key)));
		return toLiveEntry(cacheName, key, item, this.clock.millis(), true, stamp);
	}

	CompletableFuture<@Nullable CacheEntry> getAsync(String cacheName, String key) {
		CacheEntry near = nearEntry(cacheName, key);
		if (near != null) {
			return CompletableFuture.completedFuture(near);
		}
		long stamp = this.nearCache.stamp(cacheName, ItemLayout.sortKey(key));
		return this.table.getItemAsync(Target.key(cacheName, key), this.layout.primaryKey(cacheName, key))
			.thenApplyAsync((item) -> toLiveEntry(cacheName, key, item, this.clock.millis(), true, stamp),
					this.table.async().executor());
	}

	boolean containsKey(String cacheName, String key) {
		if (nearEntry(cacheName, key) != null) {
			return true;
		}
		Map<String, AttributeValue> item = this.table.getItem(Target.key(cacheName, key),
				this.layout.primaryKey(cacheName, key), false, Expressions.liveKeyProjection());
		return ItemMapper.isLive(key, item, this.clock.millis());
	}

	/** The live entry of a key's near-cache copy, or {@code null}: no copy, or its entry has expired. */
	private @Nullable CacheEntry nearEntry(String cacheName, String key) {
		if (this.nearCache == NearCache.NONE) {
			return null;
		}
		long now = this.clock.millis();
		Map<String, AttributeValue> copy = this.nearCache.get(cacheName, ItemLayout.sortKey(key), now);
		if (copy == null) {
			return null;
		}
		// Only items that read as live entries without an idle expiry are copied.
		return (this.mapper.read(key, copy, now) instanceof Live live) ? live.toEntry(key, live.expiresAt()) : null;
	}

	void put(String cacheName, String key, @Nullable Object value, long ttl, long idle) {
		write(cacheName, key, this.mapper.prepare(cacheName, key, value, ttl, idle));
	}

	/**
	 * Write a prepared entry, the chunks of a chunked value first, replacing whatever the key holds; the chunks
	 * of a chunked value it replaces are deleted.
	 */
	private void write(String cacheName, String key, PreparedItem prepared) {
		// The time is taken once the table is ready: a first write must not lose its TTL to that check.
		this.table.ensureReady();
		long now = this.clock.millis();
		this.chunks.write(cacheName, prepared, now);
		replace(cacheName, key, prepared.item(now));
	}

	/**
	 * Write an entry's item over whatever the key holds, and delete the chunks of a chunked value it replaces:
	 * the write names the chunked head it may replace in its condition, so that it knows which one it did
	 * replace even when an attempt that DynamoDB made is sent again.
	 */
	private void replace(String cacheName, String key, Map<String, AttributeValue> item) {
		Target target = Target.key(cacheName, key);
		// One PutItem, as for any value: its condition fails only on a chunked value's head.
		if (!writeNamingChunkedHeadInTheWay(cacheName, item,
				(notChunked) -> this.table.putItem(target, () -> item, notChunked), (existing) -> true)) {
			// Replaced by other writers on every attempt: write anyway, and delete what that replaced.
			Map<String, AttributeValue> replaced = this.table.putItemReturningOld(target, item, null);
			if (!isOwnWrite(replaced, item)) {
				this.chunks.deleteChunksOf(cacheName, replaced);
			}
		}
	}

	/**
	 * Send a conditional write of an entry's item that also requires {@link Expressions#notChunkedOr} the
	 * chunked head last found in the way, and once it is made, delete that head's chunks. Shared by the plain
	 * write and the one that keeps the first creation time.
	 * @param write sends the write with that part of its condition
	 * @param mayReplace whether the write should go on when that item is in the way
	 * @return whether the item was written; {@code false} when {@code mayReplace} refused the item in the way
	 * or chunked heads were in the way on every attempt
	 */
	private boolean writeNamingChunkedHeadInTheWay(String cacheName, Map<String, AttributeValue> item,
			Consumer<Expression> write, Predicate<@Nullable Map<String, AttributeValue>> mayReplace) {
		Map<String, AttributeValue> inTheWay = null;
		for (int attempt = 1; attempt <= REPLACE_ATTEMPTS; attempt++) {
			try {
				write.accept(Expressions.notChunkedOr(inTheWay));
				this.chunks.deleteChunksOf(cacheName, inTheWay);
				return true;
			}
			catch (ConditionalCheckFailedException conflict) {
				Map<String, AttributeValue> existing = conflict.hasItem() ? conflict.item() : null;
				if (isOwnWrite(existing, item)) {
					this.chunks.deleteChunksOf(cacheName, inTheWay);
					return true;
				}
				if (!mayReplace.test(existing)) {
					return false;
				}
				inTheWay = existing;
			}
		}
		return false;
	}

	/**
	 * Whether a conditional write failed on the chunked head it writes itself: an attempt that timed out after
	 * DynamoDB made it was sent again.
	 */
	private static boolean isOwnWrite(@Nullable Map<String, AttributeValue> existing,
			Map<String, AttributeValue> written) {
		return existing != null && written.get(ItemLayout.VERSION) != null
				&& written.get(ItemLayout.VERSION).equals(existing.get(ItemLayout.VERSION));
	}

	/**
	 * Write like {@link #put}, together with a write of another item in one BatchWriteItem.
	 * @return whether DynamoDB made the other write; the entry is written either way (again on its own, if
	 * DynamoDB left it unprocessed)
	 */
	boolean putWith(String cacheName, String key, @Nullable Object value, long ttl, long idle, WriteRequest other) {
		PreparedItem prepared = this.mapper.prepare(cacheName, key, value, ttl, idle);
		Target target = Target.key(cacheName, key);
		this.table.ensureReady();
		long now = this.clock.millis();
		this.chunks.write(cacheName, prepared, now);
		Map<String, AttributeValue> item = prepared.item(now);
		WriteRequest put = WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
		BatchWriteItemResponse response = this.table.batchWriteItem(target,
				Map.of(this.table.tableName(), List.of(put, other)));
		List<WriteRequest> unprocessed = response.hasUnprocessedItems()
				? response.unprocessedItems().getOrDefault(this.table.tableName(), List.of()) : List.of();
		if (unprocessed.contains(put)) {
			this.table.putItem(target, () -> item, null);
		}
		return !unprocessed.contains(other);
	}

	/**
	 * Write like {@link #put}, in one UpdateItem that keeps the time the key was first written. An item that
	 * has expired or belongs to another key is replaced by a plain write instead.
	 */
	void putKeepingCreationTime(String cacheName, String key, @Nullable Object value, long ttl, long idle) {
		PreparedItem prepared = this.mapper.prepare(cacheName, key, value, ttl, idle);
		Target target = Target.key(cacheName, key);
		this.table.ensureReady();
		long now = this.clock.millis();
		this.chunks.write(cacheName, prepared, now);
		Map<String, AttributeValue> item = prepared.item(now);
		// A live chunked value in the way is replaced too; an expired one or another key's by a plain write.
		if (!writeNamingChunkedHeadInTheWay(cacheName, item,
				(notChunked) -> this.table.updateItem(target, prepared.primaryKey(),
						Expressions.replaceKeepingFirstCreation(item, now),
						Expressions.absentOrLive(key, now).and(notChunked), ReturnValue.NONE),
				(existing) -> ItemMapper.isLive(key, existing, now))) {
			replace(cacheName, key, item);
		}
	}

	CompletableFuture<Void> putAsync(String cacheName, String key, @Nullable Object value, long ttl, long idle) {
		PreparedItem prepared = this.mapper.prepare(cacheName, key, value, ttl, idle);
		Runnable write = () -> write(cacheName, key, prepared);
		if (prepared.isChunked()) {
			return CompletableFuture.runAsync(write, this.table.async().executor());
		}
		return this.table
			.putItemAsync(Target.key(cacheName, key), () -> prepared.item(this.clock.millis()),
					Expressions.notChunkedOr(null))
			.exceptionallyCompose((failure) -> (RequestPath.unwrap(failure) instanceof ConditionalCheckFailedException)
					? CompletableFuture.runAsync(write, this.table.async().executor())
					: CompletableFuture.failedFuture(RequestPath.unwrap(failure)));
	}

	@Nullable CacheEntry putIfAbsent(String cacheName, String key, @Nullable Object value, long ttl, long idle) {
		PreparedItem prepared = this.mapper.prepare(cacheName, key, value, ttl, idle);
		Target target = Target.key(cacheName, key);
		this.table.ensureReady();
		long now = this.clock.millis();
		this.chunks.write(cacheName, prepared, now);
		for (int attempt = 0;; attempt++) {
			try {
				this.table.putItem(target, () -> prepared.item(now), Expressions.noLiveEntry(key, now));
				return null;
			}
			catch (ConditionalCheckFailedException conflict) {
				Map<String, AttributeValue> existing = conflict.hasItem() ? conflict.item() : null;
				if (existing == null || existing.isEmpty()) {
					existing = this.table.getItem(target, this.layout.primaryKey(cacheName, key), true, null);
				}
				CacheEntry entry = toLiveEntry(cacheName, key, existing, now, false, NO_STAMP);
				if (entry != null || attempt >= 2) {
					if (prepared.isChunked()) {
						// This value was not written: its chunks go, the existing entry's stay.
						this.chunks.deleteChunksOf(cacheName, prepared.item(now));
					}
					return entry;
				}
				// The entry in the way was undecodable (and is now deleted) or vanished: try again.
			}
		}
	}

	boolean deleteIfPresent(String cacheName, String key) {
		try {
			Map<String, AttributeValue> old = this.table.deleteItem(Target.key(cacheName, key),
					this.layout.primaryKey(cacheName, key), Expressions.ownedBy(key), ReturnValue.ALL_OLD);
			this.chunks.deleteChunksOf(cacheName, old);
			return ItemMapper.isLive(key, old, this.clock.millis());
		}
		catch (ConditionalCheckFailedException ex) {
			// The item under this sort key belongs to a different (digest-colliding) key.
			return false;
		}
	}

	boolean deleteIfValue(String cacheName, String key, Object expected) {
		PreparedItem prepared = this.mapper.prepare(cacheName, key, expected, 0, 0);
		byte[] bytes = prepared.bytes();
		if (bytes == null) {
			return false;
		}
		Expression holds = prepared.isChunked()
				? Expressions.holdsChunked(prepared.format(), ChunkedValues.checksum(prepared.format(), bytes))
				: Expressions.holds(prepared.format(), bytes);
		try {
			Map<String, AttributeValue> old = this.table.deleteItem(Target.key(cacheName, key),
					this.layout.primaryKey(cacheName, key),
					Expressions.ownedBy(key).and(holds).and(Expressions.unexpired(this.clock.millis())),
					prepared.isChunked() ? ReturnValue.ALL_OLD : ReturnValue.NONE);
			this.chunks.deleteChunksOf(cacheName, old);
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/** Delete the item read for a key unless it was replaced since; tells whether it was deleted. */
	boolean deleteIfUnchanged(String cacheName, String key, Map<String, AttributeValue> item) {
		try {
			this.table.deleteItem(Target.key(cacheName, key), this.layout.primaryKey(cacheName, key),
					Expressions.unchangedSince(item), ReturnValue.NONE);
			this.chunks.deleteChunksOf(cacheName, item);
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	Map<String, CacheEntry> getAll(String cacheName, List<String> distinctKeys) {
		Map<String, CacheEntry> nearEntries = new LinkedHashMap<>();
		List<String> remoteKeys = new ArrayList<>(distinctKeys.size());
		List<Map<String, AttributeValue>> primaryKeys = new ArrayList<>(distinctKeys.size());
		long[] stamps = new long[distinctKeys.size()];
		for (String key : distinctKeys) {
			CacheEntry near = nearEntry(cacheName, key);
			if (near != null) {
				nearEntries.put(key, near);
			}
			else {
				stamps[remoteKeys.size()] = this.nearCache.stamp(cacheName, ItemLayout.sortKey(key));
				remoteKeys.add(key);
				primaryKeys.add(this.layout.primaryKey(cacheName, key));
			}
		}
		Map<String, Map<String, AttributeValue>> items = primaryKeys.isEmpty() ? Map.of()
				: this.batches.getAll(cacheName, primaryKeys);
		long now = this.clock.millis();
		Map<String, CacheEntry> entries = new LinkedHashMap<>();
		int remote = 0;
		for (String key : distinctKeys) {
			CacheEntry entry = nearEntries.get(key);
			if (entry == null && remote < remoteKeys.size() && remoteKeys.get(remote).equals(key)) {
				entry = toLiveEntry(cacheName, key, items.get(BatchOperations.keyOf(primaryKeys.get(remote))), now,
						true, stamps[remote]);
				remote++;
			}
			if (entry != null) {
				entries.put(key, entry);
			}
		}
		return entries;
	}

	void putAll(String cacheName, Map<String, ?> values, long ttl, long idle) {
		List<PreparedItem> prepared = new ArrayList<>(values.size());
		values.forEach((key, value) -> prepared.add(this.mapper.prepare(cacheName, key, value, ttl, idle)));
		this.table.ensureReady();
		long now = this.clock.millis();
		for (PreparedItem item : prepared) {
			this.chunks.write(cacheName, item, now);
		}
		List<WriteRequest> writes = new ArrayList<>(prepared.size());
		for (PreparedItem item : prepared) {
			writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item.item(now)).build()).build());
		}
		this.batches.writeAll(cacheName, writes);
	}

	/**
	 * Turn an item into a live entry for the key, or {@code null} if it is absent, expired, belongs to another
	 * key or cannot be decoded (then it is deleted). A live item without idle expiry is offered to the near
	 * cache, unless the stamp is {@link #NO_STAMP}.
	 */
	private @Nullable CacheEntry toLiveEntry(String cacheName, String key, @Nullable Map<String, AttributeValue> item,
			long now, boolean touch, long stamp) {
		item = this.chunks.join(cacheName, item, () -> readHeadAgain(cacheName, key));
		Decoded decoded = this.mapper.read(key, item, now);
		if (decoded instanceof Undecodable undecodable && item != null) {
			this.undecodableLog.warn("Evicting undecodable entry {} of cache '{}' in table '{}': {}",
					this.layout.describeKey(key), cacheName, this.table.tableName(), undecodable.reason());
			evictUndecodable(cacheName, key, item);
			return null;
		}
		if (!(decoded instanceof Live live)) {
			return null;
		}
		Long expiresAt = live.expiresAt();
		if (touch && live.idle() != null) {
			expiresAt = touch(cacheName, key, item, now, live);
		}
		else if (stamp != NO_STAMP && item != null && !item.containsKey(ItemLayout.VERSION)) {
			// Chunked values (read as their joined heads) are not copied: the near cache bounds its copies by
			// count, not by size.
			this.nearCache.offer(cacheName, ItemLayout.sortKey(key), stamp, item, now);
		}
		return live.toEntry(key, expiresAt);
	}

	/** The key's item, strongly consistent: the head that replaced one whose chunks were deleted meanwhile. */
	private @Nullable Map<String, AttributeValue> readHeadAgain(String cacheName, String key) {
		return this.table.getItem(Target.key(cacheName, key), this.layout.primaryKey(cacheName, key), true, null);
	}

	/** Slide the expiry of an idle-expiring entry that was just read; returns the expiry now in force. */
	private @Nullable Long touch(String cacheName, String key, Map<String, AttributeValue> item, long now, Live live) {
		Long slid = ExpiryRules.slidExpiry(now, live.idle(), live.deadline(), live.expiresAt());
		if (slid == null) {
			return live.expiresAt();
		}
		try {
			this.table.updateItem(Target.key(cacheName, key), this.layout.primaryKey(cacheName, key),
					Expressions.slideExpiry(slid), Expressions.stillLive(item, now), ReturnValue.NONE);
			return slid;
		}
		catch (ConditionalCheckFailedException ex) {
			// Replaced or removed since the read: the read itself still saw a live entry.
			return live.expiresAt();
		}
		catch (DynamoDbCacheException ex) {
			this.writeFailureLog.warn("Could not extend idle expiry of entry {} of cache '{}': {}",
					this.layout.describeKey(key), cacheName, ex.getMessage());
			return live.expiresAt();
		}
	}

	private void evictUndecodable(String cacheName, String key, Map<String, AttributeValue> item) {
		try {
			// Not deleted when already replaced by a new value.
			deleteIfUnchanged(cacheName, key, item);
		}
		catch (DynamoDbCacheException ex) {
			this.writeFailureLog.warn("Could not evict undecodable entry {} of cache '{}': {}",
					this.layout.describeKey(key), cacheName, ex.getMessage());
		}
	}

}
