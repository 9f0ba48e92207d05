package io.dynamodbcache.spring.autoconfigure;

import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Checks the cache table at startup. A table that cannot be used (a wrong key schema, or missing while
 * creation is off) stops the application; a DynamoDB that does not answer does not, unless strict: the
 * cache then checks again on first use and serves misses until DynamoDB answers.
 */
final class DynamoDbCacheTableCheck implements InitializingBean {

	private static final Log logger = LogFactory.getLog(DynamoDbCacheTableCheck.class);

	private final DynamoDbCacheStore store;

	private final boolean strict;

	DynamoDbCacheTableCheck(DynamoDbCacheStore store, boolean strict) {
		this.store = store;
		this.strict = strict;
	}

	@Override
	public void afterPropertiesSet() {
		try {
			this.store.ensureTable();
		}
		catch (DynamoDbCacheException ex) {
			if (this.strict || ex.getCause() == null) {
				// A wrong key schema or a missing table that may not be created is a configuration error.
				throw ex;
			}
			logger.warn("DynamoDB cache table '" + this.store.getTableName() + "' could not be checked at startup; "
					+ "the cache retries on first use and serves misses until DynamoDB answers: " + ex.getMessage());
		}
	}

}
