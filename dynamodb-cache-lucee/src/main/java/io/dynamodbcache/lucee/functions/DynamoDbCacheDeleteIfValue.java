package io.dynamodbcache.lucee.functions;

import java.io.IOException;

import lucee.runtime.PageContext;
import lucee.runtime.exp.PageException;

/**
 * {@code DynamoDBCacheDeleteIfValue(id, value, cacheName)}: removes the entry only if it still holds the value,
 * atomically across servers, and tells whether it did: a lock taken with {@code DynamoDBCacheAdd} is released
 * by its owner only, never after it expired and another request took it.
 */
public final class DynamoDbCacheDeleteIfValue extends CacheFunctionSupport {

	private static final long serialVersionUID = 1L;

	@Override
	public Object invoke(PageContext pageContext, Object[] arguments) throws PageException {
		try {
			return cache(pageContext, argument(arguments, 2), "DynamoDBCacheDeleteIfValue")
				.deleteIfValue(key(arguments[0]), arguments[1]);
		}
		catch (IOException ex) {
			throw pageException(ex);
		}
	}

}
