package io.dynamodbcache.spring.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where and as whom the clients that the starter builds connect to DynamoDB. By default these come from
 * {@code dynamodb.cache.endpoint}, {@code region} and {@code credentials.*}; a bean of this type (as
 * {@code @ServiceConnection} and {@code @AutoConfigureDynamoDbLocal} register in tests) replaces them. Not used
 * when the application has a {@code DynamoDbClient} bean of its own.
 *
 * @since 0.2.0
 */
public interface DynamoDbCacheConnectionDetails extends ConnectionDetails {

	/**
	 * Return the endpoint.
	 * @return the endpoint, or {@code null} for the region's
	 */
	@Nullable URI getEndpoint();

	/**
	 * Return the region id.
	 * @return the region, or {@code null} for {@code us-east-1} with an endpoint, else the AWS default chain
	 */
	default @Nullable String getRegion() {
		return null;
	}

	/**
	 * Return a static access key id.
	 * @return the access key id, or {@code null} for dummy keys on a loopback endpoint, else the AWS default chain
	 */
	default @Nullable String getAccessKeyId() {
		return null;
	}

	/**
	 * Return the static secret access key.
	 * @return the secret access key, or {@code null} when {@link #getAccessKeyId()} is
	 */
	default @Nullable String getSecretAccessKey() {
		return null;
	}

}
