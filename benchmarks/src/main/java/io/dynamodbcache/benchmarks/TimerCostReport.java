package io.dynamodbcache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.RequestBudget;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the time budget's timer tasks cost, by the client a store is given, counted rather than timed: for
 * 20,000 store hits from 16 threads with the longest budget (60 s), the timer tasks still queued afterwards,
 * the heap they hold (live heap after a full GC, less the same after the client's queue is emptied), and the
 * CPU time of the client's timer threads per hit (each variant has threads of its own, so each is charged for
 * exactly what it causes, whatever else the machine does). The variants: an application's client built with
 * the SDK's defaults, a client whose scheduler keeps cancelled tasks and that the store cannot change (what
 * the SDK default was before the store changed it: five threads, cancelled tasks kept until due), and the
 * starter's client with {@link RequestBudget#newTimeoutScheduler()}.
 * A loopback server answers every GetItem with a stored item ({@link CannedItemServer}).
 * <p>
 * Not JMH: it counts. Run with
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.TimerCostReport}.
 */
public final class TimerCostReport {

	private static final int CALLERS = 16;

	private static final int HITS = 20_000;

	private static final RequestBudget LONGEST = new RequestBudget(RequestBudget.MAX_API_CALL_TIMEOUT,
			RequestBudget.MAX_API_CALL_TIMEOUT, 3);

	private TimerCostReport() {
	}

	public static void main(String[] args) throws Exception {
		Product product = Product.sample();
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Product.class).build();
		try (CannedItemServer server = CannedItemServer.start("benchmark-timers", product, codec, 4)) {
			System.out.printf("%-20s %14s %15s %18s %16s%n", "client", "tasks queued", "heap they hold",
					"timer CPU per hit", "wall time");
			for (int round = 0; round < 2; round++) {
				for (String variant : List.of("applicationBefore", "application", "starter")) {
					measure(variant, server, codec, product);
				}
			}
		}
	}

	private static void measure(String variant, CannedItemServer server, JacksonValueCodec codec, Product product)
			throws Exception {
		ScheduledThreadPoolExecutor own = switch (variant) {
			case "applicationBefore" -> new ScheduledThreadPoolExecutor(5, (task) -> new Thread(task, "timer-" + variant));
			case "starter" -> (ScheduledThreadPoolExecutor) RequestBudget.newTimeoutScheduler();
			default -> null;
		};
		try (DynamoDbClient client = DynamoDbClient.builder()
			.httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
			.endpointOverride(server.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.overrideConfiguration((override) -> {
				if (own != null) {
					override.scheduledExecutorService("starter".equals(variant) ? own : ApplicationClientHitBenchmark.keepingCancelledTasks(own));
				}
			})
			.build()) {
			ScheduledThreadPoolExecutor timers = (own != null) ? own
					: (ScheduledThreadPoolExecutor) client.serviceClientConfiguration()
						.overrideConfiguration()
						.scheduledExecutorService()
						.orElseThrow();
			String timerThreads = switch (variant) {
				case "applicationBefore" -> "timer-";
				case "starter" -> "dynamodb-cache-timeouts";
				default -> "sdk-ScheduledExecutor";
			};
			DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
				.tableName(server.table())
				.codec(codec)
				.requestBudget(LONGEST)
				.build();
			if (!product.equals(store.get("products", "p0"))) {
				throw new IllegalStateException("The canned GetItem answer is not a hit");
			}
			long cpuBefore = timerCpuNanos(timerThreads);
			long start = System.nanoTime();
			ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
			List<Future<?>> calls = new ArrayList<>();
			for (int caller = 0; caller < CALLERS; caller++) {
				calls.add(callers.submit(() -> {
					for (int i = 0; i < HITS / CALLERS; i++) {
						store.get("products", "p0");
					}
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}
			long wall = System.nanoTime() - start;
			long cpu = timerCpuNanos(timerThreads) - cpuBefore;
			callers.shutdown();
			int queued = timers.getQueue().size();
			long heapWithTasks = liveHeap();
			timers.getQueue().clear();
			long heapWithout = liveHeap();
			store.close();
			System.out.printf("%-20s %14d %12.1f MB %15.2f µs %13.2f s%n", variant, queued,
					(heapWithTasks - heapWithout) / 1e6, cpu / 1_000.0 / HITS, wall / 1e9);
		}
		finally {
			if (own != null) {
				own.shutdownNow();
			}
		}
	}

	private static long liveHeap() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long timerCpuNanos(String threadNamePrefix) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long total = 0;
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith(threadNamePrefix)) {
				total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
			}
		}
		return total;
	}

}
