package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import io.dynamodbcache.lucee.DynamoDbLuceeCache;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheDeleteIfValue(id, value, cacheName)}: removes the entry only if it still holds the value,
 * atomically across servers, and tells whether it did: a lock taken with {@code DynamoDBCacheAdd} is released
 * by its owner only, never after it expired and another request took it.
 */
public final class DynamoDbCacheDeleteIfValue extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	/** Made by Lucee from the function library. */
	public DynamoDbCacheDeleteIfValue() {
		super("DynamoDBCacheDeleteIfValue", 2);
	}

	@Override
	Object call(DynamoDbLuceeCache cache, Object[] arguments) throws IOException, PageException {
		return cache.deleteIfValue(key(arguments[0]), arguments[1]);
	}

}
