package io.dynamodbcache.core;

/**
 * Thrown when DynamoDB did not confirm an eviction or a clear: it failed, timed out, was refused by the
 * circuit breaker, or (for a clear) finished only in part. The entries it was to remove may still be in the
 * table, so the store does not let it pass as done: it retries the eviction in the background until
 * DynamoDB confirms it, and this JVM reads the keys it covers as missing until then. Other nodes can read
 * the old values until the retry succeeds, which is why this exception reaches the caller even where other
 * failures degrade to a miss.
 *
 * @since 0.1.0
 */
public class UnconfirmedEvictionException extends DynamoDbCacheException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what was not confirmed, and what happens next
	 * @param cause the failure of the request
	 */
	public UnconfirmedEvictionException(String message, Throwable cause) {
		super(message, cause);
	}

}
