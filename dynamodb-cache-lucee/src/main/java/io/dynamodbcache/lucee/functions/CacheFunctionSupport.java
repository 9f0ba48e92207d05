package io.dynamodbcache.lucee.functions;

import java.io.IOException;
import java.lang.reflect.Method;

import io.dynamodbcache.lucee.DynamoDbLuceeCache;
import lucee.commons.io.cache.Cache;
import lucee.loader.engine.CFMLEngine;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.PageContext;
import lucee.runtime.config.Config;
import lucee.runtime.exp.PageException;
import lucee.runtime.ext.function.BIF;
import org.jspecify.annotations.Nullable;

/**
 * What the extension's functions share: finding the DynamoDB cache connection by name (or the default object
 * cache) the way Lucee's own cache functions do, and reading their arguments.
 */
abstract class CacheFunctionSupport extends BIF {

	private static final long serialVersionUID = 1L;

	static final CFMLEngine ENGINE = CFMLEngineFactory.getInstance();

	private final String functionName;

	private final int cacheNameArgument;

	/**
	 * @param functionName the function's CFML name, for errors
	 * @param cacheNameArgument the position of the {@code cacheName} argument
	 */
	CacheFunctionSupport(String functionName, int cacheNameArgument) {
		this.functionName = functionName;
		this.cacheNameArgument = cacheNameArgument;
	}

	@Override
	public final Object invoke(PageContext pageContext, Object[] arguments) throws PageException {
		try {
			return call(cache(pageContext, argument(arguments, this.cacheNameArgument), this.functionName), arguments);
		}
		catch (IOException ex) {
			throw ENGINE.getCastUtil().toPageException(ex);
		}
	}

	/** Run the function on the cache it names. */
	abstract Object call(DynamoDbLuceeCache cache, Object[] arguments) throws IOException, PageException;

	/** The cache connection named by the argument, or the application's default object cache. */
	static DynamoDbLuceeCache cache(PageContext pageContext, @Nullable Object cacheName, String function)
			throws PageException {
		String name = (cacheName == null) ? null : ENGINE.getCastUtil().toString(cacheName).trim();
		Cache cache = luceeCache(pageContext, (name == null || name.isEmpty()) ? null : name);
		if (cache instanceof DynamoDbLuceeCache dynamoDb) {
			return dynamoDb;
		}
		throw ENGINE.getExceptionUtil()
			.createApplicationException(function + " needs a DynamoDB cache, but cache ["
					+ ((name != null && !name.isEmpty()) ? name : "the default object cache") + "] is of class ["
					+ ((cache != null) ? cache.getClass().getName() : "none") + "]",
					"Pass cacheName=\"<the name of a cache connection of class " + DynamoDbLuceeCache.class.getName()
							+ ">\", or make such a connection the default object cache");
	}

	private static Cache luceeCache(PageContext pageContext, @Nullable String name) throws PageException {
		// Lucee's CacheUtil resolves application and server connections and the default one; it is not part of
		// the loader API, so it is called by name in the core's class loader (as Lucee's own extensions do).
		try {
			Class<?> cacheUtil = ENGINE.getClassUtil()
				.loadClass(pageContext.getClass().getClassLoader(), "lucee.runtime.cache.CacheUtil");
			Method getCache = cacheUtil.getMethod("getCache", PageContext.class, String.class, int.class);
			return (Cache) getCache.invoke(null, pageContext, name, Config.CACHE_TYPE_OBJECT);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			throw ENGINE.getCastUtil().toPageException(ex.getCause());
		}
		catch (Exception ex) {
			throw ENGINE.getCastUtil().toPageException(ex);
		}
	}

	/** The cache key for an id, the way Lucee's cache functions make it (upper case). */
	static String key(Object id) throws PageException {
		return ENGINE.getCreationUtil().createKey(ENGINE.getCastUtil().toString(id)).getUpperString();
	}

	/** A time span argument (a timespan or a number of days) in milliseconds, or {@code null} if not given. */
	static @Nullable Long millis(@Nullable Object timeSpan) throws PageException {
		if (timeSpan == null || (timeSpan instanceof String text && text.isBlank())) {
			return null;
		}
		return ENGINE.getCastUtil().toTimespan(timeSpan).getMillis();
	}

	static @Nullable Object argument(Object[] arguments, int index) {
		return (index < arguments.length) ? arguments[index] : null;
	}

}
