package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import lucee.runtime.PageContext;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheAdd(id, value, timeSpan, cacheName)}: stores the value only if the id has no live entry,
 * atomically across servers, and tells whether it did. With a token of the caller's as the value it takes a
 * lock that ends by itself after {@code timeSpan}; {@code DynamoDBCacheDeleteIfValue} releases it.
 */
public final class DynamoDbCacheAdd extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	@Override
	public Object invoke(PageContext pageContext, Object[] arguments) throws PageException {
		try {
			return cache(pageContext, argument(arguments, 3), "DynamoDBCacheAdd")
				.add(key(arguments[0]), arguments[1], millis(argument(arguments, 2)));
		}
		catch (IOException ex) {
			throw pageException(ex);
		}
	}

}
