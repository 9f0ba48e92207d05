package io.dynamodbcache.spring.autoconfigure;

import java.util.Collection;

import io.dynamodbcache.core.ClientSettings;
import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;

/**
 * Checks the cache table at startup and says, in one INFO line, which table, region, endpoint and credentials
 * source (never a key) the cache uses. A table that cannot be used (a wrong key schema, or missing while
 * creation is off) stops the application; a DynamoDB that does not answer does not, unless strict: the cache
 * then checks again on first use and serves misses until DynamoDB answers.
 */
final class DynamoDbCacheTableCheck implements InitializingBean {

	private static final Log logger = LogFactory.getLog(DynamoDbCacheTableCheck.class);

	private final DynamoDbCacheStore store;

	private final DynamoDbServiceClientConfiguration client;

	private final Collection<String> cacheNames;

	private final boolean strict;

	DynamoDbCacheTableCheck(DynamoDbCacheStore store, DynamoDbServiceClientConfiguration client,
			Collection<String> cacheNames, boolean strict) {
		this.store = store;
		this.client = client;
		this.cacheNames = cacheNames;
		this.strict = strict;
	}

	@Override
	public void afterPropertiesSet() {
		String table = "DynamoDB cache table '" + this.store.getTableName() + "'";
		try {
			this.store.ensureTable();
		}
		catch (DynamoDbCacheException ex) {
			if (this.strict || ex.getCause() == null) {
				// A wrong key schema or a missing table that may not be created is a configuration error.
				throw ex;
			}
			logger.warn(table + " could not be checked at startup (" + describeClient() + "); the cache retries on "
					+ "first use and serves misses until DynamoDB answers: " + ex.getMessage());
			return;
		}
		logger.info(table + " is ready (" + describeClient() + ", caches "
				+ (this.cacheNames.isEmpty() ? "created on first use" : this.cacheNames.toString()) + ")");
	}

	String describeClient() {
		return "region " + this.client.region() + ", endpoint "
				+ this.client.endpointOverride().map(String::valueOf).orElse("of the region") + ", credentials "
				+ describeCredentials(this.client.credentialsProvider());
	}

	private static String describeCredentials(IdentityProvider<? extends AwsCredentialsIdentity> provider) {
		if (provider instanceof StaticCredentialsProvider fixed
				&& ClientSettings.LOOPBACK_ACCESS_KEY_ID.equals(fixed.resolveCredentials().accessKeyId())) {
			return "dummy keys for a loopback endpoint";
		}
		// The provider's class says where credentials come from; its toString could print a key id.
		return provider.getClass().getSimpleName();
	}

}
