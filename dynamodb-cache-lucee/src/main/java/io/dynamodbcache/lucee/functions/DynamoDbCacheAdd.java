package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import io.dynamodbcache.lucee.DynamoDbLuceeCache;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheAdd(id, value, timeSpan, cacheName)}: stores the value only if the id has no live entry,
 * atomically across servers, and tells whether it did. With a token of the caller's as the value it takes a
 * lock that ends by itself after {@code timeSpan}; {@code DynamoDBCacheDeleteIfValue} releases it.
 */
public final class DynamoDbCacheAdd extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	/** Made by Lucee from the function library. */
	public DynamoDbCacheAdd() {
		super("DynamoDBCacheAdd", 3);
	}

	@Override
	Object call(DynamoDbLuceeCache cache, Object[] arguments) throws IOException, PageException {
		return cache.add(key(arguments[0]), arguments[1], millis(argument(arguments, 2)));
	}

}
