package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import lucee.runtime.PageContext;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheIncrement(id, by=1, timeSpan, cacheName)}: adds to a counter atomically across servers
 * and returns its new value. A missing or expired counter starts from zero and lives for {@code timeSpan}
 * (a fixed window). Throws if DynamoDB cannot be reached.
 */
public final class DynamoDbCacheIncrement extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	@Override
	public Object invoke(PageContext pageContext, Object[] arguments) throws PageException {
		Object by = argument(arguments, 1);
		long delta = (by == null) ? 1 : ENGINE.getCastUtil().toLongValue(by);
		try {
			return cache(pageContext, argument(arguments, 3), "DynamoDBCacheIncrement")
				.increment(key(arguments[0]), delta, millis(argument(arguments, 2)));
		}
		catch (IOException ex) {
			throw pageException(ex);
		}
	}

}
