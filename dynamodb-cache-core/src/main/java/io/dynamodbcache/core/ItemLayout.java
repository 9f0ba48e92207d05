package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a cache entry lives in the table: partition key {@code <cacheName>#<shard>}, sort key the cache key
 * itself, or for keys that cannot be a sort key (empty, or over 1024 bytes) a SHA-256 digest with the
 * original key kept in attribute {@value #KEY} and compared on every read. Also the names of every attribute
 * an item may have.
 */
final class ItemLayout {

	static final String PARTITION_KEY = "pk";

	static final String SORT_KEY = "sk";

	/** Original key, present only on items whose sort key is a digest. */
	static final String KEY = "key";

	static final String VALUE = "val";

	static final String FORMAT = "fmt";

	/** Effective expiry in epoch seconds: the table's TTL attribute. */
	static final String EXPIRES_AT = "expiresAt";

	/** Effective expiry in epoch milliseconds, what reads compare against. */
	static final String EXPIRES_AT_MILLIS = "expiresAtMillis";

	/** Absolute deadline in epoch milliseconds that sliding idle expiry never moves past. */
	static final String DEADLINE_MILLIS = "deadlineMillis";

	static final String IDLE_MILLIS = "idleMillis";

	static final String CREATED_AT_MILLIS = "createdAtMillis";

	/**
	 * When the key was first written, in epoch milliseconds: kept across overwrites, and present only on items
	 * written by {@link DynamoDbCacheStore#putKeepingCreationTime}.
	 */
	static final String FIRST_CREATED_AT_MILLIS = "firstCreatedAtMillis";

	static final int FORMAT_PLAIN = 0;

	static final int FORMAT_DEFLATED = 1;

	static final int FORMAT_NULL = 2;

	/** A counter kept in attribute {@value #COUNTER} by {@link DynamoDbCacheStore#increment}. */
	static final int FORMAT_COUNTER = 3;

	static final String COUNTER = "counter";

	/**
	 * The head of a value too large for one item: the stored bytes are split over {@value #PARTS} chunk
	 * items (see {@link #chunkKey}), written under the head's {@value #VERSION} before the head.
	 */
	static final int FORMAT_CHUNKED = 4;

	/** A chunk item: part of a chunked value, never an entry itself. */
	static final int FORMAT_CHUNK = 5;

	/** A chunked value's version id, random per write: the sort key of its chunks. */
	static final String VERSION = "ver";

	/** How many chunks a chunked value has. */
	static final String PARTS = "parts";

	/** The format of a chunked value's joined bytes: {@link #FORMAT_PLAIN} or {@link #FORMAT_DEFLATED}. */
	static final String PART_FORMAT = "partFmt";

	/** The length of a chunked value's joined bytes. */
	static final String STORED_SIZE = "size";

	/** SHA-256 of a chunked value's format and joined bytes, checked on every read. */
	static final String CHECKSUM = "sum";

	/**
	 * On a lease item only: the lease was released by a holder that stored its work in the same request
	 * ({@link DynamoDbLeases}); the item stays until its expiry so that the next taker knows.
	 */
	static final String RELEASED = "released";

	/** Every attribute a write of an entry may set, apart from the primary key. */
	static final List<String> WRITTEN_ATTRIBUTES = List.of(KEY, VALUE, FORMAT, EXPIRES_AT, EXPIRES_AT_MILLIS,
			DEADLINE_MILLIS, IDLE_MILLIS, CREATED_AT_MILLIS, COUNTER, VERSION, PARTS, PART_FORMAT, STORED_SIZE,
			CHECKSUM);

	private static final String CHUNK_PARTITION_SEPARATOR = "~";

	static final int MAX_SORT_KEY_BYTES = 1024;

	static final int MAX_PARTITION_KEY_BYTES = 2048;

	private static final String DIGEST_PREFIX = "#sha256:";

	private final int shards;

	private final KeyLogging keyLogging;

	ItemLayout(int shards) {
		this(shards, KeyLogging.FINGERPRINTS);
	}

	ItemLayout(int shards, KeyLogging keyLogging) {
		this.shards = shards;
		this.keyLogging = keyLogging;
	}

	/** A key as log lines and messages show it (see {@link KeyLogging}). */
	String describeKey(String key) {
		return this.keyLogging.describe(key);
	}

	int shards() {
		return this.shards;
	}

	String partitionKey(String cacheName, String key) {
		return partitionKey(cacheName, Math.floorMod(key.hashCode(), this.shards));
	}

	String partitionKey(String cacheName, int shard) {
		return cacheName + "#" + shard;
	}

	/**
	 * The primary key of chunk {@code index} of a chunked value: partition {@code <head partition>~<index>},
	 * so that the chunks of one value spread over as many partition key values as it has chunks (DynamoDB
	 * allows 1,000 write units a second per partition key value, about 2.5 chunks), and sort key the value's
	 * version id. A cache's own partition keys end in {@code #<shard>}, so no chunk partition is one.
	 */
	static Map<String, AttributeValue> chunkKey(String headPartitionKey, String version, int index) {
		Map<String, AttributeValue> primaryKey = new HashMap<>(4);
		primaryKey.put(PARTITION_KEY,
				AttributeValue.fromS(headPartitionKey + CHUNK_PARTITION_SEPARATOR + index));
		primaryKey.put(SORT_KEY, AttributeValue.fromS(version));
		return primaryKey;
	}

	/** Whether a partition key is one of chunks rather than of a cache's entries. */
	static boolean isChunkPartition(String partitionKey) {
		int separator = partitionKey.lastIndexOf(CHUNK_PARTITION_SEPARATOR);
		return separator > partitionKey.lastIndexOf('#');
	}

	static boolean needsDigest(String key) {
		return key.isEmpty() || key.length() * 3 > MAX_SORT_KEY_BYTES
				&& key.getBytes(StandardCharsets.UTF_8).length > MAX_SORT_KEY_BYTES;
	}

	static String sortKey(String key) {
		return needsDigest(key) ? digest(key) : key;
	}

	Map<String, AttributeValue> primaryKey(String cacheName, String key) {
		Map<String, AttributeValue> primaryKey = new HashMap<>(4);
		primaryKey.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(cacheName, key)));
		primaryKey.put(SORT_KEY, AttributeValue.fromS(sortKey(key)));
		return primaryKey;
	}

	/**
	 * The key an item belongs to: its {@value #KEY} attribute if digested, else its sort key; {@code null} for
	 * a malformed item whose {@value #KEY} is not a string.
	 */
	static @Nullable String logicalKey(Map<String, AttributeValue> item) {
		AttributeValue original = item.get(KEY);
		return (original != null) ? original.s() : item.get(SORT_KEY).s();
	}

	static int utf8Length(String text) {
		int length = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length++;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

	/** The index of the first surrogate that is not half of a pair, or -1 if the text is well-formed UTF-16. */
	static int loneSurrogateIndex(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isSurrogate(c)) {
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else {
				return i;
			}
		}
		return -1;
	}

	private static String digest(String key) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return DIGEST_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
