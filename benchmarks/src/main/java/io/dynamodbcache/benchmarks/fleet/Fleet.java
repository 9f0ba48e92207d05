package io.dynamodbcache.benchmarks.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.RequestBudget;
import io.dynamodbcache.testsupport.DynamoDbLimits;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.FaultProxy;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * N nodes of one service on one table, in one JVM, behind {@link DynamoDbLimits}: each node has its own
 * store (its own circuit breaker, time budget, near cache and invalidation relay) and its own streams client,
 * which the limits model counts as one process. Node 0 sends its requests through a proxy of its own in front
 * of the limits model, so that a scenario can kill it: its requests then never arrive, as if its process
 * were gone. The nodes share one HTTP connection pool, which changes nothing DynamoDB sees. Their clients
 * retry as the starters' clients do ({@link RequestBudget#retryStrategy()}).
 */
final class Fleet implements AutoCloseable {

	static final String CACHE = "fleet";

	private final FaultProxy limitsProxy;

	private final FaultProxy nodeZeroProxy;

	private final DynamoDbLimits limits;

	private final SdkHttpClient http = ApacheHttpClient.builder()
		.maxConnections(2_000)
		.connectionAcquisitionTimeout(Duration.ofSeconds(10))
		.build();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<Node> nodes = new ArrayList<>();

	private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

	private final String table;

	private RequestBudget budget = RequestBudget.DEFAULT;

	Fleet(DynamoDbLocal local, String table, DynamoDbLimits limits) {
		this.table = table;
		this.limits = limits;
		this.limitsProxy = FaultProxy.start(local.endpoint());
		this.limitsProxy.enforce(limits);
		this.nodeZeroProxy = FaultProxy.start(this.limitsProxy.endpoint());
	}

	/**
	 * Start nodes, one after the other.
	 * @param count how many
	 * @param nearCache the near cache of each, or {@code null} for none (no invalidation relay either)
	 */
	List<Node> start(int count, @Nullable NearCacheSettings nearCache) {
		List<Node> started = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int index = this.nodes.size();
			String name = "node-" + index;
			URI endpoint = (index == 0) ? this.nodeZeroProxy.endpoint() : this.limitsProxy.endpoint();
			DynamoDbClient client = DynamoDbClient.builder()
				.endpointOverride(endpoint)
				.region(DynamoDbLocal.REGION)
				.credentialsProvider(DynamoDbLocal.credentials())
				.httpClient(this.http)
				.overrideConfiguration((configuration) -> configuration.putHeader(FaultProxy.PROCESS_HEADER, name)
					.retryStrategy(this.budget.retryStrategy()))
				.build();
			DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
				.endpointOverride(endpoint)
				.region(DynamoDbLocal.REGION)
				.credentialsProvider(DynamoDbLocal.credentials())
				.httpClient(this.http)
				.overrideConfiguration((configuration) -> configuration.putHeader(FaultProxy.PROCESS_HEADER, name))
				.build();
			this.closeables.add(client);
			this.closeables.add(streams);
			DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
				.tableName(this.table)
				.requestBudget(this.budget)
				.streamsClient((nearCache != null) ? streams : null)
				.requestListener((operation, duration, failure) -> this.requests
					.computeIfAbsent(operation + ((failure != null) ? " (failed)" : ""), (key) -> new LongAdder())
					.increment())
				.build();
			store.ensureTable();
			this.closeables.add(store::close);
			Node node = new Node(index, store, (nearCache != null) ? store.withNearCache(nearCache) : store);
			this.nodes.add(node);
			started.add(node);
		}
		return started;
	}

	/**
	 * Give the nodes started from now on another time budget: DynamoDB Local on a small machine answers a
	 * hundred simultaneous requests more slowly than DynamoDB, and a scenario about something else must not
	 * measure that.
	 */
	Fleet budget(RequestBudget requestBudget) {
		this.budget = requestBudget;
		return this;
	}

	List<Node> nodes() {
		return this.nodes;
	}

	DynamoDbLimits limits() {
		return this.limits;
	}

	String table() {
		return this.table;
	}

	/** Requests the nodes sent, by operation ({@code " (failed)"} appended for those that failed). */
	Map<String, Long> requests() {
		Map<String, Long> counts = new java.util.TreeMap<>();
		this.requests.forEach((operation, count) -> counts.put(operation, count.sum()));
		return counts;
	}

	long requests(String operation) {
		LongAdder count = this.requests.get(operation);
		return (count != null) ? count.sum() : 0;
	}

	void resetCounts() {
		this.requests.clear();
		this.limits.reset();
	}

	/** Node 0's process is gone: its requests never arrive, and none of its connections answer. */
	void killNodeZero() {
		this.nodeZeroProxy.blackHole();
		this.nodeZeroProxy.dropConnections();
		this.nodeZeroProxy.blackHole();
	}

	/** Run a set-up step until it succeeds (a loaded DynamoDB Local may time a request out), 30 s at most. */
	static void retry(Runnable step) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				step.run();
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(100);
			}
		}
	}

	/**
	 * Visit every node about once per interval, spread over a few threads: a thread per node would cost this
	 * machine more in timer wake-ups than the nodes' own work.
	 * @return the threads, which end when {@code running} turns false
	 */
	static List<Thread> everyNode(List<Node> nodes, int threads, Duration every,
			java.util.concurrent.atomic.AtomicBoolean running, java.util.function.Consumer<Node> visit) {
		List<Thread> started = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			List<Node> mine = new ArrayList<>();
			for (int i = t; i < nodes.size(); i += threads) {
				mine.add(nodes.get(i));
			}
			started.add(daemon(() -> {
				long next = System.nanoTime();
				while (running.get()) {
					for (Node node : mine) {
						visit.accept(node);
					}
					next += every.toNanos();
					long wait = next - System.nanoTime();
					if (wait > 0) {
						InvalidationScenario.sleep(wait / 1_000_000);
					}
					else {
						next = System.nanoTime();
					}
				}
			}));
		}
		return started;
	}

	/** Start a daemon thread. */
	static Thread daemon(Runnable task) {
		Thread thread = new Thread(task, "fleet-scenario");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	static void await(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not within " + atMost + ": " + what);
			}
			Thread.sleep(10);
		}
	}

	@Override
	public void close() {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			try {
				this.closeables.get(i).close();
			}
			catch (Exception ex) {
				// closing anyway
			}
		}
		this.http.close();
		this.nodeZeroProxy.close();
		this.limitsProxy.close();
	}

	/**
	 * One node of the fleet.
	 * @param index its number, from 0
	 * @param store its store
	 * @param view the view its application reads through: with the near cache, if it has one
	 */
	record Node(int index, DynamoDbCacheStore store, DynamoDbCacheStore view) {
	}

}
