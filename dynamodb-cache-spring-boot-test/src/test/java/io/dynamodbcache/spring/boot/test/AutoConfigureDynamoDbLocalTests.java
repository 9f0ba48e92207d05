package io.dynamodbcache.spring.boot.test;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheConnectionDetails;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's {@code @SpringBootTest} with {@link AutoConfigureDynamoDbLocal}: no endpoint, region or credentials
 * configured, and the cache works on the in-process DynamoDB Local.
 */
@SpringBootTest(properties = "dynamodb.cache.table-name=auto-configure-dynamodb-local-tests")
@AutoConfigureDynamoDbLocal
class AutoConfigureDynamoDbLocalTests {

	@Autowired
	private Greeter greeter;

	@Autowired
	private DynamoDbClient client;

	@Autowired
	private DynamoDbCacheConnectionDetails connectionDetails;

	@Autowired
	private CacheManager cacheManager;

	@Test
	void theCacheRunsOnTheInProcessDynamoDbLocal() {
		assertThat(this.connectionDetails.getEndpoint()).isEqualTo(DynamoDbLocal.shared().endpoint());
		assertThat(this.client.serviceClientConfiguration().endpointOverride()).contains(DynamoDbLocal.shared().endpoint());

		String first = this.greeter.greet("Ada");
		String second = this.greeter.greet("Ada");

		assertThat(second).isEqualTo(first);
		assertThat(this.greeter.calls()).isEqualTo(1);
		assertThat(this.client.listTables().tableNames()).contains("auto-configure-dynamodb-local-tests");
		assertThat(this.cacheManager.getCache("greetings").get("Ada").get()).isEqualTo(first);
	}

	@SpringBootApplication
	@EnableCaching
	static class GreetingApplication {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	static class Greeter {

		private int calls;

		public int calls() {
			return this.calls;
		}

		@Cacheable("greetings")
		public String greet(String name) {
			this.calls++;
			return "Hello " + name + " #" + System.nanoTime();
		}

	}

}
