package io.dynamodbcache.core;

/**
 * Thrown by a write whose encoded value exceeds the store's maximum value size, or whose key is so long that
 * even the head item of a value stored in chunks would exceed DynamoDB's item size limit. Nothing is written.
 * (Values over one item, up to the maximum value size, are stored in chunks, not refused.)
 */
public class CacheValueTooLargeException extends DynamoDbCacheException {

	private static final long serialVersionUID = 1L;

	private final String cacheName;

	private final String key;

	private final long itemSize;

	private final long limit;

	CacheValueTooLargeException(String cacheName, String key, long itemSize, long limit) {
		this("Value for key " + KeyLogging.fingerprint(key) + " in cache '" + cacheName + "' makes a DynamoDB item of "
				+ itemSize + " bytes after compression, over the limit of " + limit
				+ " bytes: cache a smaller value (for example a projection of it) or leave it uncached", cacheName, key,
				itemSize, limit);
	}

	private CacheValueTooLargeException(String message, String cacheName, String key, long itemSize, long limit) {
		super(message);
		this.cacheName = cacheName;
		this.key = key;
		this.itemSize = itemSize;
		this.limit = limit;
	}

	/**
	 * Return the name of the cache written to.
	 * @return the cache name
	 */
	public String getCacheName() {
		return this.cacheName;
	}

	/**
	 * Return the key written to.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * Return the size in bytes the item would have had (or the encoded value, for the maximum value size).
	 * @return the size
	 */
	public long getItemSize() {
		return this.itemSize;
	}

	/**
	 * Return the limit in bytes that the size exceeds.
	 * @return the limit
	 */
	public long getLimit() {
		return this.limit;
	}

	/** A value whose encoded form exceeds the store's maximum value size. */
	static CacheValueTooLargeException overMaxValueSize(String cacheName, String key, String keyText, long encodedSize,
			long maxValueSize) {
		return new CacheValueTooLargeException("Value for key " + keyText + " in cache '" + cacheName
				+ "' is " + encodedSize + " bytes encoded, over the maximum value size of " + maxValueSize
				+ " bytes: cache a smaller value, or raise the limit with DynamoDbCacheStoreBuilder.maxValueSize(...) "
				+ "(Spring Boot: dynamodb.cache.max-value-size; Lucee: the maxValueSize setting)", cacheName, key,
				encodedSize, maxValueSize);
	}

	/** A key so long that the item holding only it and a chunked value's head exceeds DynamoDB's item limit. */
	static CacheValueTooLargeException keyTooLarge(String cacheName, String key, String keyText, long headSize,
			long limit) {
		return new CacheValueTooLargeException("Key " + keyText + " in cache '" + cacheName + "' is "
				+ key.length() + " characters: with it, even a large value's head item is " + headSize
				+ " bytes, over DynamoDB's limit of " + limit + " bytes: use a shorter key (for example a digest of it)",
				cacheName, key, headSize, limit);
	}

	static String abbreviate(String key) {
		return (key.length() <= 100) ? key : key.substring(0, 100) + "...(" + key.length() + " chars)";
	}

}
