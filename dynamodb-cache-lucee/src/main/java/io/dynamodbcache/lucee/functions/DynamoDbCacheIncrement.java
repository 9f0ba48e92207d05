package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import io.dynamodbcache.lucee.DynamoDbLuceeCache;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheIncrement(id, by=1, timeSpan, cacheName)}: adds to a counter atomically across servers
 * and returns its new value. A missing or expired counter starts from zero and lives for {@code timeSpan}
 * (a fixed window). Throws if DynamoDB cannot be reached.
 */
public final class DynamoDbCacheIncrement extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	/** Made by Lucee from the function library. */
	public DynamoDbCacheIncrement() {
		super("DynamoDBCacheIncrement", 3);
	}

	@Override
	Object call(DynamoDbLuceeCache cache, Object[] arguments) throws IOException, PageException {
		Object by = argument(arguments, 1);
		long delta = (by == null) ? 1 : ENGINE.getCastUtil().toLongValue(by);
		return cache.increment(key(arguments[0]), delta, millis(argument(arguments, 2)));
	}

}
