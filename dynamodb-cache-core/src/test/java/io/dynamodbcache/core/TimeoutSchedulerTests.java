package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The timeout scheduler of the clients an integration builds holds a task per call in flight, not per call
 * made within the call timeout: 20,000 requests with the longest call timeout leave its queue nearly empty.
 */
@DynamoDbLocalTest
class TimeoutSchedulerTests {

	@Test
	void cancelledTimeoutTasksLeaveTheQueueAtOnceWhateverTheCallTimeout(UniqueTableName table) throws Exception {
		ScheduledExecutorService scheduler = RequestBudget.newTimeoutScheduler();
		RequestBudget longest = new RequestBudget(RequestBudget.MAX_API_CALL_TIMEOUT,
				RequestBudget.MAX_API_CALL_TIMEOUT, 3);
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try (DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(DynamoDbLocal.shared().endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.overrideConfiguration((override) -> override.scheduledExecutorService(scheduler)
				.retryStrategy(longest.retryStrategy()))
			.build()) {
			DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
				.tableName(table.value())
				.requestBudget(longest)
				.build();
			store.put("c", "k", "v");
			List<Future<?>> calls = new ArrayList<>();
			for (int caller = 0; caller < 4; caller++) {
				calls.add(callers.submit(() -> {
					for (int i = 0; i < 5_000; i++) {
						store.get("c", "k");
					}
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}

			assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).hasSizeLessThan(100);
		}
		finally {
			callers.shutdownNow();
			scheduler.shutdownNow();
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
