package io.dynamodbcache.spring.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * {@link DynamoDbCacheConnectionDetails} from {@code dynamodb.cache.*} properties.
 */
final class PropertiesDynamoDbCacheConnectionDetails implements DynamoDbCacheConnectionDetails {

	private final DynamoDbCacheProperties properties;

	PropertiesDynamoDbCacheConnectionDetails(DynamoDbCacheProperties properties) {
		this.properties = properties;
	}

	@Override
	public @Nullable URI getEndpoint() {
		return this.properties.getEndpoint();
	}

	@Override
	public @Nullable String getRegion() {
		return this.properties.getRegion();
	}

	@Override
	public @Nullable String getAccessKeyId() {
		return this.properties.getCredentials().getAccessKeyId();
	}

	@Override
	public @Nullable String getSecretAccessKey() {
		return this.properties.getCredentials().getSecretAccessKey();
	}

}
