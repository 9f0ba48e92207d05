package io.dynamodbcache.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static io.dynamodbcache.core.Expressions.number;
import static io.dynamodbcache.core.ItemLayout.COUNTER;
import static io.dynamodbcache.core.ItemLayout.CREATED_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.FIRST_CREATED_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.DEADLINE_MILLIS;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.FORMAT;
import static io.dynamodbcache.core.ItemLayout.IDLE_MILLIS;
import static io.dynamodbcache.core.ItemLayout.KEY;
import static io.dynamodbcache.core.ItemLayout.VALUE;

/**
 * Turns entries into DynamoDB items and items back into entries, with no I/O: the value's encoding by the
 * codec, compression when it lowers the billed capacity, the format marker, the expiry attributes and the item size limit.
 * <p>
 * Reading is total: whatever a stored item holds, {@link #read} returns {@link Missing}, {@link Live} or
 * {@link Undecodable}, and never throws. Nothing from the item's content goes into an {@link Undecodable}
 * reason, so it can be logged.
 */
final class ItemMapper {

	private final ItemLayout layout;

	private final ValueCodec codec;

	/** DynamoDB bills one write capacity unit per started 1 KB of an item. */
	static final int WRITE_UNIT_BYTES = 1024;

	private final int compressionThreshold;

	private final int maxValueSize;

	ItemMapper(ItemLayout layout, ValueCodec codec, int compressionThreshold, int maxValueSize) {
		this.layout = layout;
		this.codec = codec;
		this.compressionThreshold = compressionThreshold;
		this.maxValueSize = maxValueSize;
	}

	ValueCodec codec() {
		return this.codec;
	}

	int maxValueSize() {
		return this.maxValueSize;
	}

	ItemMapper withCodec(ValueCodec codec) {
		return new ItemMapper(this.layout, codec, this.compressionThreshold, this.maxValueSize);
	}

	/**
	 * Encode a value for a write and check the size of the item it makes, before any I/O.
	 * @throws CacheValueTooLargeException if the encoded value exceeds the maximum value size (then no read
	 * could decode it), or the item {@link DynamoDbCacheStore#MAX_ITEM_BYTES}
	 * @throws CacheCodecException if the codec refuses the value
	 */
	PreparedItem prepare(String cacheName, String key, @Nullable Object value, long ttl, long idle) {
		int format = ItemLayout.FORMAT_NULL;
		byte[] bytes = null;
		if (value != null) {
			bytes = this.codec.encode(value);
			if (bytes.length > this.maxValueSize) {
				throw CacheValueTooLargeException.overMaxValueSize(cacheName, key, this.layout.describeKey(key), bytes.length,
						this.maxValueSize);
			}
			format = ItemLayout.FORMAT_PLAIN;
		}
		PreparedItem prepared = new PreparedItem(this.layout.primaryKey(cacheName, key), key, format, bytes, ttl,
				idle, null);
		long size = itemSize(prepared.item(0));
		if (bytes != null && bytes.length > this.compressionThreshold && size > WRITE_UNIT_BYTES) {
			// DynamoDB bills a write per started KB of the item (and a read per started 4 KB): compress only
			// when that bills fewer units, so that reads of values it would not make cheaper skip inflating.
			byte[] deflated = Compression.deflate(bytes);
			long deflatedSize = size - bytes.length + deflated.length;
			if (writeUnits(deflatedSize) < writeUnits(size)) {
				prepared = new PreparedItem(prepared.primaryKey(), key, ItemLayout.FORMAT_DEFLATED, deflated, ttl, idle,
						null);
				size = deflatedSize;
			}
		}
		if (size > DynamoDbCacheStore.MAX_ITEM_BYTES) {
			// Chunks cannot slide with their head's idle expiry (that would rewrite them), and a head that
			// expires by idle time alone would leave them for ever: such a value gets a deadline too.
			long deadline = (ttl == 0 && idle > 0) ? ChunkedValues.idleOnlyDeadline(idle) : ttl;
			PreparedItem chunked = new PreparedItem(prepared.primaryKey(), key, prepared.format(), prepared.bytes(),
					deadline, idle, ChunkedValues.newVersion());
			long headSize = itemSize(chunked.item(0));
			if (headSize > DynamoDbCacheStore.MAX_ITEM_BYTES) {
				// The key alone fills the item: refused before any chunk is written, which would be left behind.
				throw CacheValueTooLargeException.keyTooLarge(cacheName, key, this.layout.describeKey(key), headSize,
						DynamoDbCacheStore.MAX_ITEM_BYTES);
			}
			return chunked;
		}
		return prepared;
	}

	/**
	 * Read what an item holds for a key at time {@code now}: {@link Missing} when there is no item, it belongs
	 * to another key or it has expired.
	 */
	Decoded read(String key, @Nullable Map<String, AttributeValue> item, long now) {
		if (item == null || item.isEmpty() || !key.equals(ItemLayout.logicalKey(item)) || isChunk(item)) {
			return Missing.INSTANCE;
		}
		try {
			Long expiresAt = longValue(item, EXPIRES_AT_MILLIS);
			if (ExpiryRules.isExpired(expiresAt, now)) {
				return Missing.INSTANCE;
			}
			Long createdAt = longValue(item, CREATED_AT_MILLIS);
			if (createdAt == null) {
				throw new MalformedItemException("no attribute '" + CREATED_AT_MILLIS + "'");
			}
			Long idle = longValue(item, IDLE_MILLIS);
			if (idle != null && idle <= 0) {
				throw new MalformedItemException("attribute '" + IDLE_MILLIS + "' is not positive");
			}
			Long deadline = (idle != null) ? longValue(item, DEADLINE_MILLIS) : expiresAt;
			Long timeToLive = (deadline != null) ? Math.subtractExact(deadline, createdAt) : null;
			Long format = longValue(item, FORMAT);
			if (format == null) {
				throw new MalformedItemException("no attribute '" + FORMAT + "'");
			}
			int storedSize = 0;
			Object value;
			if (format == ItemLayout.FORMAT_NULL) {
				value = null;
			}
			else if (format == ItemLayout.FORMAT_CHUNKED) {
				// A head whose chunks were joined reads with its chunks' format: this one's were not.
				throw new MalformedItemException("chunks of the value are missing or do not match its head");
			}
			else if (format == ItemLayout.FORMAT_COUNTER) {
				value = longValue(item, COUNTER);
				if (value == null) {
					throw new MalformedItemException("no attribute '" + COUNTER + "'");
				}
			}
			else if (format == ItemLayout.FORMAT_PLAIN || format == ItemLayout.FORMAT_DEFLATED) {
				AttributeValue stored = item.get(VALUE);
				if (stored == null || stored.b() == null) {
					throw new MalformedItemException("no binary attribute '" + VALUE + "'");
				}
				byte[] bytes = stored.b().asByteArrayUnsafe();
				storedSize = bytes.length;
				if (format == ItemLayout.FORMAT_DEFLATED) {
					bytes = Compression.inflate(bytes, this.maxValueSize);
				}
				else if (bytes.length > this.maxValueSize) {
					throw new MalformedItemException("the value is over the maximum value size");
				}
				value = decodeValue(bytes);
			}
			else {
				throw new MalformedItemException("unknown value format " + format);
			}
			Long firstCreatedAt = longValue(item, FIRST_CREATED_AT_MILLIS);
			return new Live(value, createdAt, expiresAt, deadline, idle, timeToLive, storedSize,
					(firstCreatedAt != null) ? firstCreatedAt : createdAt);
		}
		catch (MalformedItemException ex) {
			return new Undecodable(ex.getMessage());
		}
		catch (CacheCodecException ex) {
			return new Undecodable(ex.getMessage());
		}
		catch (RuntimeException ex) {
			return new Undecodable("malformed item (" + ex.getClass().getSimpleName() + ")");
		}
	}

	/**
	 * Whether an item holds a live entry of the key, from its key and expiry attributes alone (the value is
	 * not decoded). An item whose expiry cannot be read is not live.
	 */
	static boolean isLive(String key, @Nullable Map<String, AttributeValue> item, long now) {
		return item != null && !item.isEmpty() && key.equals(ItemLayout.logicalKey(item)) && isUnexpired(item, now)
				&& !isChunk(item);
	}

	/** Whether an item is a chunk of a chunked value, which no key reads as its entry. */
	static boolean isChunk(Map<String, AttributeValue> item) {
		return hasFormat(item, ItemLayout.FORMAT_CHUNK);
	}

	/** Whether an item's {@value ItemLayout#FORMAT} is the given one, without reading anything else of it. */
	static boolean hasFormat(Map<String, AttributeValue> item, int format) {
		AttributeValue stored = item.get(FORMAT);
		return stored != null && Integer.toString(format).equals(stored.n());
	}

	/** Whether an item has not expired at {@code now}; one whose expiry cannot be read counts as expired. */
	static boolean isUnexpired(Map<String, AttributeValue> item, long now) {
		try {
			return !ExpiryRules.isExpired(longValue(item, EXPIRES_AT_MILLIS), now);
		}
		catch (MalformedItemException ex) {
			return false;
		}
	}

	private Object decodeValue(byte[] bytes) {
		try {
			return this.codec.decode(bytes);
		}
		catch (CacheCodecException ex) {
			// A codec's message may quote the stored bytes: keep only what kind of failure it was.
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new MalformedItemException("the codec could not decode the value (" + cause.getClass().getSimpleName()
					+ ")");
		}
	}

	/** The write capacity units DynamoDB bills for writing an item of this many bytes. */
	static long writeUnits(long itemBytes) {
		return Math.max(1, (itemBytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
	}

	@Override
	public String toString() {
		return "compressionThreshold=" + this.compressionThreshold + ", maxValueSize=" + this.maxValueSize + ", codec="
				+ this.codec;
	}

	static @Nullable Long longValue(Map<String, AttributeValue> item, String attribute) {
		AttributeValue value = item.get(attribute);
		if (value == null) {
			return null;
		}
		if (value.n() == null) {
			throw new MalformedItemException("attribute '" + attribute + "' is not a number");
		}
		try {
			return Long.valueOf(value.n());
		}
		catch (NumberFormatException ex) {
			throw new MalformedItemException("attribute '" + attribute + "' is not a whole number in range");
		}
	}

	static long itemSize(Map<String, AttributeValue> item) {
		long size = 0;
		for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
			size += attribute.getKey().length();
			AttributeValue value = attribute.getValue();
			if (value.s() != null) {
				size += ItemLayout.utf8Length(value.s());
			}
			else if (value.b() != null) {
				size += value.b().asByteArrayUnsafe().length;
			}
			else {
				size += 21;
			}
		}
		return size;
	}

	/** What {@link #read} found in an item. */
	sealed interface Decoded permits Missing, Live, Undecodable {
	}

	/** No live entry of the key: no item, another key's item, or an expired one. */
	enum Missing implements Decoded {

		INSTANCE

	}

	/** An item that cannot be read as an entry; the reason quotes nothing of its content. */
	record Undecodable(String reason) implements Decoded {
	}

	/**
	 * A live entry, in epoch milliseconds.
	 * @param deadline the absolute deadline, or {@code null} without a time-to-live
	 * @param idle the time-to-idle, or {@code null} without one
	 */
	record Live(@Nullable Object value, long createdAt, @Nullable Long expiresAt, @Nullable Long deadline,
			@Nullable Long idle, @Nullable Long timeToLive, int storedSize, long firstCreatedAt) implements Decoded {

		CacheEntry toEntry(String key, @Nullable Long expiresAtNow) {
			return new CacheEntry(key, this.value, Instant.ofEpochMilli(this.createdAt),
					(expiresAtNow != null) ? Instant.ofEpochMilli(expiresAtNow) : null,
					(this.timeToLive != null) ? Duration.ofMillis(this.timeToLive) : null,
					(this.idle != null) ? Duration.ofMillis(this.idle) : null, this.storedSize,
					Instant.ofEpochMilli(this.firstCreatedAt));
		}

	}

	/**
	 * An encoded value ready to be written; {@link #item(long)} makes the item with the time of the write,
	 * taken as late as possible. A chunked one ({@code version} not {@code null}) holds the stored bytes of
	 * its chunks, in {@code format}; its item is the head, and {@link ChunkedValues#write} writes the chunks
	 * first.
	 */
	record PreparedItem(Map<String, AttributeValue> primaryKey, String key, int format, byte @Nullable [] bytes,
			long ttl, long idle, @Nullable String version) {

		boolean isChunked() {
			return this.version != null;
		}

		/** How many chunks the stored bytes take. */
		int parts() {
			return (this.bytes.length + ChunkedValues.CHUNK_BYTES - 1) / ChunkedValues.CHUNK_BYTES;
		}

		Map<String, AttributeValue> item(long now) {
			Map<String, AttributeValue> item = new HashMap<>(this.primaryKey);
			if (ItemLayout.needsDigest(this.key)) {
				item.put(KEY, AttributeValue.fromS(this.key));
			}
			if (this.version != null) {
				item.put(FORMAT, number(ItemLayout.FORMAT_CHUNKED));
				item.put(ItemLayout.PART_FORMAT, number(this.format));
				item.put(ItemLayout.VERSION, AttributeValue.fromS(this.version));
				item.put(ItemLayout.PARTS, number(parts()));
				item.put(ItemLayout.STORED_SIZE, number(this.bytes.length));
				item.put(ItemLayout.CHECKSUM,
						AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(ChunkedValues.checksum(this.format, this.bytes))));
			}
			else {
				item.put(FORMAT, number(this.format));
				if (this.bytes != null) {
					item.put(VALUE, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(this.bytes)));
				}
			}
			item.put(CREATED_AT_MILLIS, number(now));
			Long expiresAt = ExpiryRules.initialExpiry(now, this.ttl, this.idle);
			if (expiresAt != null) {
				item.put(EXPIRES_AT_MILLIS, number(expiresAt));
				item.put(EXPIRES_AT, number(ExpiryRules.epochSecondsCeiling(expiresAt)));
				if (this.idle > 0) {
					item.put(IDLE_MILLIS, number(this.idle));
					if (this.ttl > 0) {
						item.put(DEADLINE_MILLIS, number(ExpiryRules.deadline(now, this.ttl)));
					}
				}
			}
			return item;
		}

	}

	private static final class MalformedItemException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MalformedItemException(String reason) {
			super(reason, null, false, false);
		}

	}

}
