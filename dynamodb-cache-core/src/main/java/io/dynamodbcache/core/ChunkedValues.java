package io.dynamodbcache.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.ItemMapper.PreparedItem;

import static io.dynamodbcache.core.Expressions.number;
import static io.dynamodbcache.core.ItemLayout.CHECKSUM;
import static io.dynamodbcache.core.ItemLayout.FORMAT;
import static io.dynamodbcache.core.ItemLayout.PARTITION_KEY;
import static io.dynamodbcache.core.ItemLayout.PARTS;
import static io.dynamodbcache.core.ItemLayout.PART_FORMAT;
import static io.dynamodbcache.core.ItemLayout.STORED_SIZE;
import static io.dynamodbcache.core.ItemLayout.VALUE;
import static io.dynamodbcache.core.ItemLayout.VERSION;

/**
 * Values too large for one item: their stored bytes are split into chunk items written under a fresh version
 * id before the head item that names the version, so that replacing the head switches readers from the whole
 * old value to the whole new one in one write. A reader reads the head, then the chunks of the version it
 * names in one BatchGetItem, and checks their count, length and SHA-256 against the head: anything missing or
 * different reads as a head without its chunks, which the store evicts as undecodable.
 * <p>
 * Chunks carry the time-to-live of the value's deadline. When the store replaces, evicts or clears their
 * head, it deletes them only if that TTL is more than {@link #TTL_CLEANUP_HORIZON_MILLIS} away, or there is
 * none: DynamoDB bills a delete by the size of the item deleted, as much as the write, while its TTL
 * deletes items for free and storing a megabyte for a month costs less than a third of deleting it.
 */
final class ChunkedValues {

	private static final Logger logger = LoggerFactory.getLogger(ChunkedValues.class);

	/**
	 * The stored bytes one chunk holds: 380 KB, leaving 20 KB of DynamoDB's 400 KB item limit for the primary
	 * key (a partition key is at most 2 KB) and the chunk's other attributes.
	 */
	static final int CHUNK_BYTES = 380 * 1024;

	/** The most chunks a value of up to 2 GB has: a bound on what a malformed head can make a delete send. */
	private static final int MAX_PARTS = Integer.MAX_VALUE / CHUNK_BYTES + 1;

	/**
	 * Chunks whose TTL falls within 30 days are left to it: deleting a megabyte costs 1,026 write units
	 * ($0.00064 on demand), storing it for 30 days $0.00024.
	 */
	static final long TTL_CLEANUP_HORIZON_MILLIS = 30L * 86_400_000;

	/** The shortest deadline of a chunked value that has a time-to-idle and no time-to-live: one day. */
	static final long MIN_IDLE_ONLY_DEADLINE_MILLIS = 86_400_000;

	/** What {@code joinOnce} returns for a head whose chunks are missing or do not match; compared by identity. */
	private static final Map<String, AttributeValue> CHUNKS_DO_NOT_MATCH = new HashMap<>();

	/** How many times a read reads a head again after finding its chunks replaced. */
	private static final int REREADS_OF_A_REPLACED_HEAD = 2;

	private final RateLimitedLog cleanupLog = new RateLimitedLog(logger);

	private final TableClient table;

	private final BatchOperations batches;

	private final int maxValueSize;

	private final Clock clock;

	ChunkedValues(TableClient table, int maxValueSize, Clock clock) {
		this.table = table;
		this.batches = new BatchOperations(table);
		this.maxValueSize = maxValueSize;
		this.clock = clock;
	}

	/**
	 * The time-to-live a chunked value with only a time-to-idle gets, so that its chunks have a TTL: 24 times
	 * its time-to-idle, at least a day. Read again and again, it is a miss after that and is loaded again.
	 */
	static long idleOnlyDeadline(long idle) {
		return Math.max(MIN_IDLE_ONLY_DEADLINE_MILLIS, (idle > Long.MAX_VALUE / 24) ? Long.MAX_VALUE : idle * 24);
	}

	/** A fresh version id for the chunks of one write. */
	static String newVersion() {
		return UUID.randomUUID().toString();
	}

	/** SHA-256 of a chunked value's format and joined bytes. */
	static byte[] checksum(int format, byte[] bytes) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((byte) format);
			return digest.digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/** Write the chunks of a chunked value, before its head; nothing for a value that fits in one item. */
	void write(String cacheName, PreparedItem prepared, long now) {
		if (!prepared.isChunked()) {
			return;
		}
		byte[] bytes = prepared.bytes();
		String headPartition = prepared.primaryKey().get(PARTITION_KEY).s();
		// A chunk lives as long as the value's deadline: its TTL then removes it if nothing else did.
		AttributeValue expiresAt = (prepared.ttl() > 0)
				? number(ExpiryRules.epochSecondsCeiling(ExpiryRules.deadline(now, prepared.ttl()))) : null;
		List<WriteRequest> puts = new ArrayList<>(prepared.parts());
		for (int index = 0; index < prepared.parts(); index++) {
			int from = index * CHUNK_BYTES;
			Map<String, AttributeValue> chunk = ItemLayout.chunkKey(headPartition, prepared.version(), index);
			chunk.put(FORMAT, number(ItemLayout.FORMAT_CHUNK));
			chunk.put(VALUE, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(
					Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + CHUNK_BYTES)))));
			if (expiresAt != null) {
				chunk.put(ItemLayout.EXPIRES_AT, expiresAt);
			}
			puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(chunk).build()).build());
		}
		this.batches.writeAll(cacheName, puts);
	}

	/**
	 * The item to read for an entry: an item that is not a chunked head as it is; a chunked head with its
	 * chunks joined into {@value ItemLayout#VALUE} in their format; or, when a chunk is missing or does not
	 * match, the head as it is, which reads as undecodable.
	 */
	@Nullable Map<String, AttributeValue> join(String cacheName, @Nullable Map<String, AttributeValue> item) {
		Map<String, AttributeValue> joined = joinOnce(cacheName, item);
		return (joined != CHUNKS_DO_NOT_MATCH) ? joined : item;
	}

	/**
	 * {@link #join(String, Map)}, and where the head's chunks are missing or do not match, read the head again
	 * (at most twice more): a writer that replaced the value since the head was read deleted the chunks it
	 * named, and the new head names the new value's. The same head again reads as undecodable; no head, a miss.
	 * @param readHeadAgain reads the head strongly consistently
	 */
	@Nullable Map<String, AttributeValue> join(String cacheName, @Nullable Map<String, AttributeValue> item,
			Supplier<@Nullable Map<String, AttributeValue>> readHeadAgain) {
		Map<String, AttributeValue> current = item;
		for (int attempt = 0; attempt <= REREADS_OF_A_REPLACED_HEAD; attempt++) {
			Map<String, AttributeValue> joined = joinOnce(cacheName, current);
			if (joined != CHUNKS_DO_NOT_MATCH) {
				return joined;
			}
			if (attempt == REREADS_OF_A_REPLACED_HEAD) {
				break;
			}
			Map<String, AttributeValue> again = readHeadAgain.get();
			if (again == null || !isChunkedHead(again)) {
				return again;
			}
			if (again.get(VERSION).equals(current.get(VERSION))) {
				break;
			}
			current = again;
		}
		return current;
	}

	/**
	 * The joined item; the item itself (or {@code null}, for no item) where it is not a chunked head to join;
	 * {@link #CHUNKS_DO_NOT_MATCH} where it is one whose chunks are missing or do not match.
	 */
	private @Nullable Map<String, AttributeValue> joinOnce(String cacheName, @Nullable Map<String, AttributeValue> item) {
		Head head = Head.of(item);
		if (head == null || head.size() > this.maxValueSize) {
			// Not a head this store could have written (or of a value over the maximum size): no chunk is read,
			// and the item reads as undecodable, a miss and one eviction.
			return item;
		}
		// The chunks' reads, retries of what DynamoDB left unprocessed included, share one call budget.
		long deadline = System.nanoTime() + this.table.apiCallTimeout().toNanos();
		List<Map<String, AttributeValue>> keys = head.chunkKeys();
		Map<String, Map<String, AttributeValue>> chunks = this.batches.getAll(cacheName, keys, false, deadline);
		if (chunks.size() < keys.size() && !this.table.consistentReads()) {
			// Chunks are written just before their head: an eventually consistent read may not see them yet.
			chunks = this.batches.getAll(cacheName, keys, true, deadline);
		}
		byte[] joined = new byte[(int) head.size()];
		int length = 0;
		for (Map<String, AttributeValue> key : keys) {
			Map<String, AttributeValue> chunk = chunks.get(BatchOperations.keyOf(key));
			AttributeValue part = (chunk != null && ItemMapper.isChunk(chunk)) ? chunk.get(VALUE) : null;
			if (part == null || part.b() == null || part.b().asByteArrayUnsafe().length > joined.length - length) {
				return CHUNKS_DO_NOT_MATCH;
			}
			byte[] bytes = part.b().asByteArrayUnsafe();
			System.arraycopy(bytes, 0, joined, length, bytes.length);
			length += bytes.length;
		}
		if (length != joined.length
				|| !MessageDigest.isEqual(checksum(head.format(), joined), head.checksum())) {
			return CHUNKS_DO_NOT_MATCH;
		}
		Map<String, AttributeValue> whole = new HashMap<>(item);
		whole.put(FORMAT, number(head.format()));
		whole.put(VALUE, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(joined)));
		return whole;
	}

	/**
	 * The deletes of the chunks an item names, if it is a chunked head whose chunks have no TTL or one more
	 * than {@link #TTL_CLEANUP_HORIZON_MILLIS} after {@code now}, and whose version and part count are what a
	 * write makes; none otherwise (a hostile head's chunks, if any, are left to their TTL). Needs only the
	 * head's partition key, {@value ItemLayout#FORMAT}, {@value ItemLayout#VERSION}, {@value ItemLayout#PARTS},
	 * {@value ItemLayout#STORED_SIZE} and expiry attributes.
	 */
	static List<WriteRequest> chunkDeletes(@Nullable Map<String, AttributeValue> item, long now) {
		if (item == null || !isChunkedHead(item) || expireSoon(item, now)) {
			return List.of();
		}
		AttributeValue partitionKey = item.get(PARTITION_KEY);
		AttributeValue version = item.get(VERSION);
		long parts;
		try {
			Long stored = ItemMapper.longValue(item, PARTS);
			Long size = ItemMapper.longValue(item, STORED_SIZE);
			// Only as many chunks as a write of that size makes: a head claiming 4,096 parts would make an
			// eviction send 164 batch deletes.
			parts = (stored != null && size != null && size > 0 && stored == partsOf(size)) ? stored : 0;
		}
		catch (RuntimeException malformed) {
			parts = 0;
		}
		if (partitionKey == null || partitionKey.s() == null || version == null || !isVersion(version.s()) || parts < 1
				|| parts > MAX_PARTS) {
			return List.of();
		}
		List<WriteRequest> deletes = new ArrayList<>((int) parts);
		for (Map<String, AttributeValue> key : chunkKeys(partitionKey.s(), version.s(), (int) parts)) {
			deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build());
		}
		return deletes;
	}

	/** Whether the chunks of a head carry a TTL within the cleanup horizon: the head's deadline. */
	private static boolean expireSoon(Map<String, AttributeValue> head, long now) {
		try {
			Long deadline = (head.get(ItemLayout.IDLE_MILLIS) != null)
					? ItemMapper.longValue(head, ItemLayout.DEADLINE_MILLIS)
					: ItemMapper.longValue(head, ItemLayout.EXPIRES_AT_MILLIS);
			return deadline != null && deadline - now <= TTL_CLEANUP_HORIZON_MILLIS;
		}
		catch (RuntimeException malformed) {
			return false;
		}
	}

	/**
	 * Whether a head's version is one {@link #newVersion} makes: a UUID's 36 characters. Any other (empty, long,
	 * written by someone else) would make a chunk key DynamoDB refuses, and every read of the key fail.
	 */
	static boolean isVersion(@Nullable String version) {
		if (version == null || version.length() != 36) {
			return false;
		}
		for (int i = 0; i < version.length(); i++) {
			char c = version.charAt(i);
			boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
			if (hyphen ? c != '-' : Character.digit(c, 16) < 0) {
				return false;
			}
		}
		return true;
	}

	/** How many chunks a value of this many stored bytes is written in. */
	static long partsOf(long storedSize) {
		return (storedSize + CHUNK_BYTES - 1) / CHUNK_BYTES;
	}

	static boolean isChunkedHead(Map<String, AttributeValue> item) {
		return ItemMapper.hasFormat(item, ItemLayout.FORMAT_CHUNKED);
	}

	/** The primary keys of the chunks of one version of a value. */
	private static List<Map<String, AttributeValue>> chunkKeys(String headPartition, String version, int parts) {
		List<Map<String, AttributeValue>> keys = new ArrayList<>(parts);
		for (int index = 0; index < parts; index++) {
			keys.add(ItemLayout.chunkKey(headPartition, version, index));
		}
		return keys;
	}

	/**
	 * Delete the chunks of a head that was replaced or deleted, unless their TTL removes them soon (see
	 * {@link #chunkDeletes}); when that fails they are left to it, with a rate-limited warning.
	 */
	void deleteChunksOf(String cacheName, @Nullable Map<String, AttributeValue> replaced) {
		List<WriteRequest> deletes = chunkDeletes(replaced, this.clock.millis());
		if (deletes.isEmpty()) {
			return;
		}
		try {
			this.batches.writeAll(cacheName, deletes);
		}
		catch (DynamoDbCacheException ex) {
			this.cleanupLog.warn("Could not delete the chunks of a replaced value in cache '{}' (their time-to-live "
					+ "removes them, if the value had one): {}", cacheName, ex.getMessage());
		}
	}

	/** What a chunked head says of its chunks. */
	private record Head(String partitionKey, String version, int parts, int format, long size, byte[] checksum) {

		/** The head an item is, or {@code null} if it is not a chunked head or a malformed one. */
		static @Nullable Head of(@Nullable Map<String, AttributeValue> item) {
			if (item == null || !isChunkedHead(item)) {
				return null;
			}
			AttributeValue partitionKey = item.get(PARTITION_KEY);
			AttributeValue version = item.get(VERSION);
			AttributeValue checksum = item.get(CHECKSUM);
			try {
				Long parts = ItemMapper.longValue(item, PARTS);
				Long partFormat = ItemMapper.longValue(item, PART_FORMAT);
				Long size = ItemMapper.longValue(item, STORED_SIZE);
				// Only what a write makes: as many parts as the size takes, a version a chunk key can hold, and a
				// SHA-256; a head claiming 4,096 parts of 4 MB would cost hundreds of requests a read.
				if (partitionKey == null || partitionKey.s() == null || version == null || !isVersion(version.s())
						|| checksum == null || checksum.b() == null || checksum.b().asByteArrayUnsafe().length != 32
						|| parts == null || partFormat == null || size == null || size < 1
						|| size > Integer.MAX_VALUE - 8 || parts != partsOf(size)) {
					return null;
				}
				return new Head(partitionKey.s(), version.s(), parts.intValue(), partFormat.intValue(), size,
						checksum.b().asByteArrayUnsafe());
			}
			catch (RuntimeException malformed) {
				return null;
			}
		}

		List<Map<String, AttributeValue>> chunkKeys() {
			return ChunkedValues.chunkKeys(this.partitionKey, this.version, this.parts);
		}

	}

}
