package io.dynamodbcache.spring.boot.test;

import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheConnectionDetails;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers path, for teams with Docker: {@code @ServiceConnection} on an {@code amazon/dynamodb-local}
 * container. Skipped where no Docker engine runs (as on this project's CI).
 */
@SpringBootTest(properties = "dynamodb.cache.table-name=container-tests")
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbLocalContainerTests {

	@Container
	@ServiceConnection
	static final GenericContainer<?> dynamoDb = new GenericContainer<>("amazon/dynamodb-local:2.5.4")
		.withExposedPorts(DynamoDbLocalContainerConnectionDetailsFactory.PORT);

	@Autowired
	private DynamoDbCacheConnectionDetails connectionDetails;

	@Autowired
	private CacheManager cacheManager;

	@Test
	void theCacheRunsOnTheContainer() {
		assertThat(this.connectionDetails.getEndpoint().getPort())
			.isEqualTo(dynamoDb.getMappedPort(DynamoDbLocalContainerConnectionDetailsFactory.PORT));
		this.cacheManager.getCache("c").put("k", "v");
		assertThat(this.cacheManager.getCache("c").get("k").get()).isEqualTo("v");
	}

	@SpringBootApplication
	@EnableCaching
	static class ContainerApplication {

	}

}
