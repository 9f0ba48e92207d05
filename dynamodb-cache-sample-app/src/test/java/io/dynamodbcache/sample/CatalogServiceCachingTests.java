package io.dynamodbcache.sample;

import io.dynamodbcache.spring.boot.test.AutoConfigureDynamoDbLocal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test as an application team writes it for its own caching code: {@link AutoConfigureDynamoDbLocal} runs
 * the cache on an in-process DynamoDB Local, with no endpoint, credentials or Docker to set up. (The sample's
 * own embedded DynamoDB Local is switched off, so that only the annotation points the cache somewhere.)
 */
@SpringBootTest(properties = { "sample.embedded-dynamodb=false", "sample.lookup-millis=0",
		"dynamodb.cache.table-name=catalog-service-caching-tests" })
@AutoConfigureDynamoDbLocal
class CatalogServiceCachingTests {

	@Autowired
	private CatalogService catalog;

	@Autowired
	private CacheManager cacheManager;

	@Test
	void aBookIsLoadedOnceThenServedFromTheCache() {
		int loadsBefore = this.catalog.loads();

		Book first = this.catalog.findBook("isbn-user-test");
		Book second = this.catalog.findBook("isbn-user-test");

		assertThat(second).isEqualTo(first);
		assertThat(this.catalog.loads()).isEqualTo(loadsBefore + 1);
		assertThat(this.cacheManager.getCache("books").get("isbn-user-test").get()).isEqualTo(first);
	}

	@Test
	void evictingABookMakesTheNextLookupLoadAgain() {
		this.catalog.findBook("isbn-evicted");
		int loadsBefore = this.catalog.loads();

		this.catalog.evictBook("isbn-evicted");
		this.catalog.findBook("isbn-evicted");

		assertThat(this.catalog.loads()).isEqualTo(loadsBefore + 1);
	}

}
