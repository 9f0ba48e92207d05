package io.dynamodbcache.core;

/**
 * Thrown when the store cannot do what it was asked, most often because DynamoDB failed or refused; the
 * AWS SDK exception is the cause.
 */
public class DynamoDbCacheException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what failed and, where it helps, how to fix it
	 * @param cause the underlying failure, or {@code null}
	 */
	public DynamoDbCacheException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception without a cause.
	 * @param message what failed and, where it helps, how to fix it
	 */
	public DynamoDbCacheException(String message) {
		super(message);
	}

}
