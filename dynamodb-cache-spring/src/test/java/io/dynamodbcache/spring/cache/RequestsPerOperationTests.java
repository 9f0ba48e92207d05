package io.dynamodbcache.spring.cache;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB requests each cache operation makes, counted on a real DynamoDB Local: they are the bill,
 * and the README's capacity planning rests on them.
 */
@DynamoDbLocalTest
class RequestsPerOperationTests {

	private static final List<String> requests = new CopyOnWriteArrayList<>();

	private static DynamoDbCacheStore store;

	private DynamoDbCache cache;

	private DynamoDbCache leased;

	@BeforeAll
	static void createStore(DynamoDbClient client, UniqueTableName table) {
		store = DynamoDbCacheStore.builder(client)
			.tableName(table.value())
			.requestListener((operation, duration, failure) -> requests
				.add(operation + ((failure != null) ? "!" + failure.getClass().getSimpleName() : "")))
			.build();
		store.ensureTable();
	}

	@BeforeEach
	void createCaches() {
		String name = "cache-" + UUID.randomUUID();
		DynamoDbCacheManager manager = DynamoDbCacheManager.builder(store).build();
		manager.afterPropertiesSet();
		this.cache = (DynamoDbCache) manager.getCache(name);
		DynamoDbCacheManager leasing = DynamoDbCacheManager.builder(store)
			.cacheDefaults(DynamoDbCacheConfiguration.defaultCacheConfig()
				.enableDistributedLoadLease(Duration.ofSeconds(10)))
			.build();
		leasing.afterPropertiesSet();
		this.leased = (DynamoDbCache) leasing.getCache(name + "-leased");
		requests.clear();
	}

	@Test
	void aPutIsOnePutItem() {
		this.cache.put("isbn-1", "Dune");

		assertThat(requests).containsExactly("PutItem");
	}

	@Test
	void aHitAndAMissAreOneGetItemEach() {
		this.cache.put("isbn-1", "Dune");
		requests.clear();

		assertThat(this.cache.get("isbn-1")).isNotNull();
		assertThat(this.cache.get("isbn-2")).isNull();

		assertThat(requests).containsExactly("GetItem", "GetItem");
	}

	@Test
	void aMissWithALoaderIsOneReadAndOneWrite() {
		assertThat(this.cache.get("isbn-1", () -> "Dune")).isEqualTo("Dune");
		assertThat(requests).containsExactly("GetItem", "PutItem");
		requests.clear();

		assertThat(this.cache.get("isbn-1", () -> "never loaded")).isEqualTo("Dune");
		assertThat(requests).containsExactly("GetItem");
	}

	@Test
	void aMissWithALoaderUnderTheLoadLeaseIsAReadTheLeaseAndOneWriteThatAlsoReleasesIt() {
		assertThat(this.leased.get("isbn-1", () -> "Dune")).isEqualTo("Dune");

		assertThat(requests).containsExactly("GetItem", "PutItem", "BatchWriteItem");
		requests.clear();
		assertThat(this.leased.get("isbn-1", () -> "never loaded")).isEqualTo("Dune");
		assertThat(requests).containsExactly("GetItem");
		assertThat(store.leases("_load-lease_:" + this.leased.getName()).tryAcquire("isbn-1", Duration.ofSeconds(10)))
			.as("lease released")
			.isNotNull();
	}

	@Test
	void aValueOverOneItemIsWrittenAsABatchOfChunksAndItsHeadAndReadWithOneRequestMore() {
		String large = largeText(1024 * 1024, 1);

		this.cache.put("report", large);
		assertThat(requests).containsExactly("BatchWriteItem", "PutItem");
		requests.clear();

		assertThat(this.cache.get("report").get()).isEqualTo(large);
		assertThat(requests).containsExactly("GetItem", "BatchGetItem");
		requests.clear();

		this.cache.put("report", largeText(1024 * 1024, 2));
		assertThat(requests).as("the old value's head comes back with the failed condition, then its chunks go")
			.containsExactly("BatchWriteItem", "PutItem!ConditionalCheckFailedException", "PutItem", "BatchWriteItem");
		requests.clear();

		this.cache.evict("report");
		assertThat(requests).containsExactly("DeleteItem", "BatchWriteItem");
	}

	@Test
	void aLargeValueLoadedUnderTheLoadLeaseWritesItsChunksBeforeTheValueAndTheRelease() {
		String large = largeText(1024 * 1024, 3);

		assertThat(this.leased.get("report", () -> large)).isEqualTo(large);

		assertThat(requests).containsExactly("GetItem", "PutItem", "BatchWriteItem", "BatchWriteItem");
	}

	/** Random printable ASCII, which deflates to about 80 %: a 1 MB value takes three chunks. */
	private static String largeText(int size, long seed) {
		Random random = new Random(seed);
		StringBuilder text = new StringBuilder(size);
		for (int i = 0; i < size; i++) {
			text.append((char) ('!' + random.nextInt(94)));
		}
		return text.toString();
	}

	@Test
	void anEvictIsOneDeleteItem() {
		this.cache.put("isbn-1", "Dune");
		requests.clear();

		this.cache.evict("isbn-1");

		assertThat(requests).containsExactly("DeleteItem");
	}

}
