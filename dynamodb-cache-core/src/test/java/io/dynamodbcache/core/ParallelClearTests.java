package io.dynamodbcache.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.FaultProxy;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A clear of a large cache: its requests (one Query per shard, full batches of 25 deletes) and its failure.
 */
@DynamoDbLocalTest
class ParallelClearTests {

	private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

	private static boolean clearThreadsAlive() {
		return Thread.getAllStackTraces().keySet().stream()
			.anyMatch((thread) -> thread.getName().equals("dynamodb-cache-clear") && thread.isAlive());
	}

	private DynamoDbCacheStore store(DynamoDbClient client, String table) {
		return DynamoDbCacheStore.builder(client)
			.tableName(table)
			.requestListener((operation, duration, failure) -> this.requests
				.computeIfAbsent(operation, (name) -> new LongAdder()).increment())
			// The clear that DynamoDB never answers is given up at close at once: the close's wait is not tested here.
			.closeTimeout(java.time.Duration.ZERO)
			.build();
	}

	@Test
	void clearOfTenThousandEntriesMakesOneQueryPerShardAndFullBatchesOfDeletes(DynamoDbClient client,
			UniqueTableName table) {
		DynamoDbCacheStore store = store(client, table.value());
		Map<String, Object> entries = new LinkedHashMap<>();
		for (int i = 0; i < 10_000; i++) {
			entries.put("key-" + i, "value-" + i);
		}
		store.putAll("big", entries, null, null);
		store.put("other", "kept", 1);
		this.requests.clear();

		int removed = store.clear("big");

		assertThat(removed).isEqualTo(10_000);
		assertThat(this.requests.get("Query").sum()).isEqualTo(store.getShards());
		assertThat(this.requests.get("BatchWriteItem").sum()).isEqualTo(10_000 / 25);
		assertThat(this.requests.keySet()).containsExactlyInAnyOrder("Query", "BatchWriteItem");
		assertThat(store.count("big")).isZero();
		assertThat(store.get("other", "kept")).isEqualTo(1);
	}

	@Test
	void aClearThatDynamoDbDoesNotAnswerFailsWithinItsBudgetAndLeavesNoThreads(UniqueTableName table) {
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint());
				DynamoDbClient client = proxy.newClient()) {
			DynamoDbCacheStore store = store(client, table.value());
			try {
				store.put("c", "k", "v");
				proxy.blackHole();

				assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> store.clear("c"));

				// Its threads end once their last request gives up (at most one time budget later).
				long deadline = System.nanoTime() + 5_000_000_000L;
				while (clearThreadsAlive() && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				assertThat(clearThreadsAlive()).isFalse();
			}
			finally {
				// Ends the background retries of the unconfirmed clear, which DynamoDB will never answer now.
				store.close();
			}
		}
	}

}
