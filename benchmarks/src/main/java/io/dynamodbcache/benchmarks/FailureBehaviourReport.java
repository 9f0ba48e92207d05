package io.dynamodbcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import io.dynamodbcache.core.DynamoDbCacheException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.FaultProxy;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Measures what callers see while DynamoDB misbehaves: a store with the default request budget and circuit
 * breaker, on a plain SDK client, behind a {@link FaultProxy} in front of an in-process DynamoDB Local. Each
 * fault runs for 10 seconds under 8 threads that do what a {@code @Cacheable} call does (a read; on a miss or
 * failure, an instant load and a write; failures degrade as the Spring cache degrades them). Prints a Markdown
 * table: caller latency p50/p99/max, DynamoDB requests per second during the fault (after its first 2
 * seconds, while the breaker is open or probing), and the time from the fault's end to the first hit.
 * <p>
 * Run with {@code mvn -B -pl benchmarks -am install -DskipTests} and then
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.FailureBehaviourReport}.
 */
public final class FailureBehaviourReport {

	private static final int THREADS = 8;

	private static final Duration FAULT_TIME = Duration.ofSeconds(10);

	private static final Duration SETTLE_TIME = Duration.ofSeconds(2);

	private static final int KEYS = 200;

	private FailureBehaviourReport() {
	}

	public static void main(String[] args) throws Exception {
		DynamoDbLocal local = DynamoDbLocal.start();
		try (FaultProxy proxy = FaultProxy.start(local.endpoint());
				DynamoDbClient client = proxy.newClient()) {
			List<String> rows = new ArrayList<>();
			rows.add(measure("none (pass-through)", FaultProxy::passThrough, proxy, client));
			rows.add(measure("black hole (no answer)", FaultProxy::blackHole, proxy, client));
			rows.add(measure("dropped connections", FaultProxy::dropConnections, proxy, client));
			rows.add(measure("2 s added latency", (p) -> p.delay(Duration.ofSeconds(2)), proxy, client));
			rows.add(measure("throttling, every request", (p) -> p.throttle(1.0), proxy, client));
			rows.add(measure("throttling, 30 % of requests", (p) -> p.throttle(0.3), proxy, client));
			System.out.println();
			System.out.println("| fault | p50 | p99 | max | DynamoDB requests/s during the fault | time to first hit after it |");
			System.out.println("|---|---:|---:|---:|---:|---:|");
			rows.forEach(System.out::println);
		}
		finally {
			local.stop();
		}
	}

	private static String measure(String name, Consumer<FaultProxy> fault, FaultProxy proxy, DynamoDbClient client)
			throws Exception {
		proxy.passThrough();
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName("failure-report").build();
		String cache = "report-" + System.nanoTime();
		for (int i = 0; i < KEYS; i++) {
			store.put(cache, "k" + i, "value-" + i);
		}
		fault.accept(proxy);
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		long start = System.nanoTime();
		long[] requestsAfterSettle = new long[2];
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		CountDownLatch done = new CountDownLatch(THREADS);
		for (int t = 0; t < THREADS; t++) {
			threads.execute(() -> {
				while (System.nanoTime() - start < FAULT_TIME.toNanos()) {
					String key = "k" + ThreadLocalRandom.current().nextInt(KEYS);
					long callStart = System.nanoTime();
					cacheableCall(store, cache, key);
					latencies.add(System.nanoTime() - callStart);
				}
				done.countDown();
			});
		}
		Thread.sleep(SETTLE_TIME.toMillis());
		requestsAfterSettle[0] = proxy.requests();
		done.await();
		requestsAfterSettle[1] = proxy.requests();
		threads.shutdown();
		double requestsPerSecond = (requestsAfterSettle[1] - requestsAfterSettle[0])
				/ (double) FAULT_TIME.minus(SETTLE_TIME).toSeconds();
		proxy.passThrough();
		long recoveryStart = System.nanoTime();
		Duration recovery = null;
		while (recovery == null && System.nanoTime() - recoveryStart < Duration.ofSeconds(30).toNanos()) {
			try {
				if (store.get(cache, "k0") != null) {
					recovery = Duration.ofNanos(System.nanoTime() - recoveryStart);
				}
			}
			catch (DynamoDbCacheException ex) {
				Thread.sleep(10);
			}
		}
		store.close();
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return "| " + name + " | " + millis(percentile(sorted, 0.50)) + " | " + millis(percentile(sorted, 0.99)) + " | "
				+ millis(sorted.get(sorted.size() - 1)) + " | " + Math.round(requestsPerSecond) + " | "
				+ ((recovery != null) ? millis(recovery.toNanos()) : "> 30 s") + " |";
	}

	/** What DynamoDbCache does for a plain @Cacheable call, in its default (lenient) mode. */
	private static void cacheableCall(DynamoDbCacheStore store, String cache, String key) {
		Object value;
		try {
			value = store.get(cache, key);
		}
		catch (DynamoDbCacheException ex) {
			value = null;
		}
		if (value == null) {
			try {
				store.put(cache, key, "loaded");
			}
			catch (DynamoDbCacheException ex) {
				// dropped, as the cache drops it
			}
		}
	}

	private static long percentile(List<Long> sorted, double quantile) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
	}

	private static String millis(long nanos) {
		double millis = nanos / 1_000_000.0;
		return (millis < 10) ? String.format("%.1f ms", millis) : String.format("%.0f ms", millis);
	}

}
