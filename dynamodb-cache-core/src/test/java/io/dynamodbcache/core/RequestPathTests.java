package io.dynamodbcache.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every request of the store, synchronous or not, goes through one path: the listener sees each, each
 * carries the store's overrides, and failures name what failed.
 */
@DynamoDbLocalTest
class RequestPathTests {

	private final List<String> operations = new CopyOnWriteArrayList<>();

	private final List<String> userAgents = new CopyOnWriteArrayList<>();

	private DynamoDbClient client;

	private DynamoDbAsyncClient asyncClient;

	private DynamoDbCacheStore store;

	@BeforeEach
	void createStore(UniqueTableName table) {
		ExecutionInterceptor userAgentRecorder = new ExecutionInterceptor() {
			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				context.httpRequest().firstMatchingHeader("User-Agent").ifPresent(RequestPathTests.this.userAgents::add);
			}
		};
		DynamoDbLocal local = DynamoDbLocal.shared();
		this.client = DynamoDbClient.builder()
			.endpointOverride(local.endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.overrideConfiguration((override) -> override.addExecutionInterceptor(userAgentRecorder))
			.build();
		this.asyncClient = DynamoDbAsyncClient.builder()
			.endpointOverride(local.endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.overrideConfiguration((override) -> override.addExecutionInterceptor(userAgentRecorder))
			.build();
		this.store = DynamoDbCacheStore.builder(this.client)
			.asyncClient(this.asyncClient)
			.tableName(table.value())
			.shards(2)
			.requestListener((operation, duration, failure) -> this.operations
				.add(operation + ((failure != null) ? "!" + failure.getClass().getSimpleName() : "")))
			.build();
		this.store.ensureTable();
		// The first request of an asynchronous client starts its event loop, which can take longer than a
		// request's attempt timeout on a loaded machine.
		this.asyncClient.listTables().join();
		this.operations.clear();
		this.userAgents.clear();
	}

	@AfterEach
	void closeClients() {
		this.client.close();
		this.asyncClient.close();
	}

	@Test
	void theListenerSeesEveryRequestOnceAndConditionsThatDoNotHold() throws Exception {
		this.store.put("c", "k", "v");
		this.store.get("c", "k");
		this.store.getEntryAsync("c", "k").get();
		this.store.putAsync("c", "k2", "v", null, null).get();
		this.store.putIfAbsent("c", "k", "other", null, null);
		this.store.increment("c", "n", 1, null);
		this.store.getAll("c", List.of("k", "k2"));
		this.store.deleteIfPresent("c", "k2");
		this.store.clear("c");

		assertThat(this.operations).containsExactly("PutItem", "GetItem", "GetItem", "PutItem",
				"PutItem!ConditionalCheckFailedException", "UpdateItem", "BatchGetItem", "DeleteItem", "Query",
				"Query", "BatchWriteItem");
	}

	@Test
	void everyRequestCarriesTheStoresApiNameWhateverClientTheApplicationGave() throws Exception {
		this.store.put("c", "k", "v");
		this.store.getEntryAsync("c", "k").get();
		this.store.keys("c");

		assertThat(this.userAgents).hasSize(4).allSatisfy((agent) -> assertThat(agent).contains("dynamodb-cache/1"));
	}

	@Test
	void failuresNameTheOperationTheKeyTheCacheAndTheTable() {
		this.client.close();

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> this.store.get("books", "isbn-1"))
			.withMessageStartingWith("Could not read key " + this.store.describeKey("isbn-1") + " of cache 'books' in DynamoDB table '"
					+ this.store.getTableName() + "'");
		// A closed client fails with whatever its parts throw (IllegalStateException, RejectedExecutionException):
		// translated all the same.
		assertThat(this.operations).singleElement().asString().startsWith("GetItem!");
	}

}
