package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The timeout scheduler of the clients an integration builds, and that of a client the application built
 * with the SDK's defaults, holds a task per call in flight, not per call made within the call timeout:
 * 10,000 requests with the longest call timeout leave its queue nearly empty (it would hold 20,000).
 */
@DynamoDbLocalTest
class TimeoutSchedulerTests {

	private static final RequestBudget LONGEST = new RequestBudget(RequestBudget.MAX_API_CALL_TIMEOUT,
			RequestBudget.MAX_API_CALL_TIMEOUT, 3);

	@Test
	void cancelledTimeoutTasksLeaveTheQueueAtOnceWhateverTheCallTimeout(UniqueTableName table) throws Exception {
		ScheduledExecutorService scheduler = RequestBudget.newTimeoutScheduler();
		try (DynamoDbClient client = client((override) -> override.scheduledExecutorService(scheduler))) {
			getTenThousandTimes(client, table);

			assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).hasSizeLessThan(100);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	/**
	 * Applications and Spring Cloud AWS build their clients without a scheduler: the SDK's default keeps every
	 * cancelled task until its deadline (20,000 tasks here before the store changed it), and its timer
	 * threads sort them on every later request.
	 */
	@Test
	void aStoreMakesTheSdkDefaultSchedulerOfAnApplicationsClientDropCancelledTasks(UniqueTableName table)
			throws Exception {
		try (DynamoDbClient client = client((override) -> {
		})) {
			ScheduledExecutorService scheduler = client.serviceClientConfiguration()
				.overrideConfiguration()
				.scheduledExecutorService()
				.orElseThrow();
			assertThat(((ScheduledThreadPoolExecutor) scheduler).getRemoveOnCancelPolicy()).isFalse();

			getTenThousandTimes(client, table);

			assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).hasSizeLessThan(100);
		}
	}

	private static DynamoDbClient client(Consumer<ClientOverrideConfiguration.Builder> scheduler) {
		return DynamoDbClient.builder()
			.endpointOverride(DynamoDbLocal.shared().endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.overrideConfiguration((override) -> scheduler.accept(override.retryStrategy(LONGEST.retryStrategy())))
			.build();
	}

	/** 10,000 gets from 4 threads through a store with the longest call timeout there is. */
	private static void getTenThousandTimes(DynamoDbClient client, UniqueTableName table) throws Exception {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
			.tableName(table.value())
			.requestBudget(LONGEST)
			.build();
		store.put("c", "k", "v");
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> calls = new ArrayList<>();
			for (int caller = 0; caller < 4; caller++) {
				calls.add(callers.submit(() -> {
					for (int i = 0; i < 2_500; i++) {
						store.get("c", "k");
					}
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}
		}
		finally {
			callers.shutdownNow();
			store.close();
		}
	}

	@Test
	void aCallTimeoutAboveTheMaximumIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RequestBudget(Duration.ofMillis(500), Duration.ofHours(1), 3))
			.withMessageContaining("at most PT1M")
			.withMessageContaining("PT1H");
	}

}
