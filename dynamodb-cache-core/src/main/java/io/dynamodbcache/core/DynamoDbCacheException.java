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

	/**
	 * Tell whether DynamoDB throttled the request: it answered, and the key range of the request (a hot
	 * partition) or a capacity limit is busy; not an outage.
	 * @return whether the cause is DynamoDB's throttling
	 */
	public boolean isThrottled() {
		for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
			if (CircuitBreakers.isThrottling(cause)) {
				return true;
			}
		}
		return false;
	}

}
