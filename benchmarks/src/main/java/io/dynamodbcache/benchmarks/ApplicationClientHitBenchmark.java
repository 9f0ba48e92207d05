package io.dynamodbcache.benchmarks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.RequestBudget;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A store hit against the raw {@code GetItem} (no timeouts) on the same client, by the client the store is
 * given: the application's own (built with the SDK's defaults, as applications and Spring Cloud AWS build
 * theirs), the starter's (with {@link RequestBudget#newTimeoutScheduler()}), and the application's own with a
 * scheduler the store cannot change, which keeps every cancelled timer task until its deadline as the SDK's
 * default did before the store changed it. Each benchmark method and client runs in a fork of its own, so
 * that each variant pays for the timer threads and the garbage it causes; the ratio is storeGet ÷ rawGet of
 * the same client. A loopback server in the JVM answers every GetItem with the same stored item
 * ({@link CannedItemServer}). Run at 1, 4, 16 and 64 threads ({@code -t}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApplicationClientHitBenchmark {

	private static final String TABLE = "benchmark-application-client";

	/** Which client the store is given. */
	@Param({ "application", "starter", "applicationBefore" })
	public String client;

	private CannedItemServer server;

	private ScheduledExecutorService timeouts;

	private DynamoDbClient dynamoDb;

	private DynamoDbCacheStore store;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		Product product = Product.sample();
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Product.class).build();
		this.server = CannedItemServer.start(TABLE, product, codec, 4);
		this.timeouts = switch (this.client) {
			case "starter" -> RequestBudget.newTimeoutScheduler();
			case "applicationBefore" -> keepingCancelledTasks(new ScheduledThreadPoolExecutor(5));
			default -> null;
		};
		this.dynamoDb = DynamoDbClient.builder()
			.httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
			.endpointOverride(this.server.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.overrideConfiguration((override) -> {
				if (this.timeouts != null) {
					override.scheduledExecutorService(this.timeouts);
				}
				if ("starter".equals(this.client)) {
					override.retryStrategy(RequestBudget.DEFAULT.retryStrategy());
				}
			})
			.build();
		this.store = DynamoDbCacheStore.builder(this.dynamoDb).tableName(TABLE).codec(codec).build();
		if (!product.equals(this.store.get("products", "p0")) || rawGet() == null) {
			throw new IllegalStateException("The canned GetItem answer is not a hit");
		}
	}

	/**
	 * The SDK's default scheduler (five threads, cancelled tasks kept until due) behind an interface the store
	 * does not recognise, so that it stays as the SDK made it.
	 */
	static ScheduledExecutorService keepingCancelledTasks(ScheduledThreadPoolExecutor executor) {
		return (ScheduledExecutorService) Proxy.newProxyInstance(ScheduledExecutorService.class.getClassLoader(),
				new Class<?>[] { ScheduledExecutorService.class }, (proxy, method, arguments) -> {
					try {
						return method.invoke(executor, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.store.close();
		this.dynamoDb.close();
		if (this.timeouts != null) {
			this.timeouts.shutdownNow();
		}
		this.server.close();
	}

	@Benchmark
	public Object storeGet() {
		return this.store.get("products", "p0");
	}

	@Benchmark
	public Object rawGet() {
		return this.dynamoDb.getItem((request) -> request.tableName(TABLE).key(this.server.primaryKey())).item();
	}

}
