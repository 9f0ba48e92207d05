package io.dynamodbcache.spring.boot.test;

import java.net.URI;

import io.dynamodbcache.core.ClientSettings;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.GenericContainer;

/**
 * {@code @ServiceConnection} for a Testcontainers {@link GenericContainer} of the {@code amazon/dynamodb-local}
 * image (port 8000): the DynamoDB cache connects to the container, with the dummy keys of a loopback endpoint.
 */
final class DynamoDbLocalContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<GenericContainer<?>, DynamoDbCacheConnectionDetails> {

	static final int PORT = 8000;

	DynamoDbLocalContainerConnectionDetailsFactory() {
		super("amazon/dynamodb-local");
	}

	@Override
	protected DynamoDbCacheConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<GenericContainer<?>> source) {
		return new DynamoDbLocalContainerConnectionDetails(source);
	}

	static final class DynamoDbLocalContainerConnectionDetails extends ContainerConnectionDetails<GenericContainer<?>>
			implements DynamoDbCacheConnectionDetails {

		DynamoDbLocalContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
			super(source);
		}

		@Override
		public URI getEndpoint() {
			GenericContainer<?> container = getContainer();
			return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(PORT));
		}

		@Override
		public String getAccessKeyId() {
			// The container's host may be a Docker host that is not loopback: give the dummy keys explicitly.
			return ClientSettings.LOOPBACK_ACCESS_KEY_ID;
		}

		@Override
		public String getSecretAccessKey() {
			return ClientSettings.LOOPBACK_SECRET_ACCESS_KEY;
		}

	}

}
