package io.dynamodbcache.core;

/**
 * Thrown by a {@link ValueCodec} that cannot encode a value, for example because its type is not on the
 * allow-list, or cannot decode stored bytes.
 */
public class CacheCodecException extends DynamoDbCacheException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what failed and how to fix it
	 * @param cause the underlying failure, or {@code null}
	 */
	public CacheCodecException(String message, Throwable cause) {
		super(message, cause);
	}

}
