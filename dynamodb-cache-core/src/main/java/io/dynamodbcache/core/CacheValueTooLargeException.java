package io.dynamodbcache.core;

/**
 * Thrown by a write whose item would exceed DynamoDB's item size limit even after compression. Nothing is
 * written.
 */
public class CacheValueTooLargeException extends DynamoDbCacheException {

	private static final long serialVersionUID = 1L;

	private final String cacheName;

	private final String key;

	private final long itemSize;

	private final long limit;

	CacheValueTooLargeException(String cacheName, String key, long itemSize, long limit) {
		super("Value for key '" + abbreviate(key) + "' in cache '" + cacheName + "' makes a DynamoDB item of "
				+ itemSize + " bytes after compression, over the limit of " + limit
				+ " bytes: cache a smaller value (for example a projection of it) or leave it uncached");
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
	 * Return the size in bytes the item would have had.
	 * @return the item size
	 */
	public long getItemSize() {
		return this.itemSize;
	}

	/**
	 * Return the item size limit in bytes.
	 * @return the limit
	 */
	public long getLimit() {
		return this.limit;
	}

	static String abbreviate(String key) {
		return (key.length() <= 100) ? key : key.substring(0, 100) + "...(" + key.length() + " chars)";
	}

}
