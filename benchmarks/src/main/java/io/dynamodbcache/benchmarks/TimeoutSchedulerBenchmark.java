package io.dynamodbcache.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
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
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the time budget's timer tasks cost a GetItem, by the scheduler the client runs them on: none (no
 * timeouts on the request), the SDK's own default scheduler, {@link RequestBudget#newTimeoutScheduler()}
 * (cancelled tasks removed at once), and the same scheduler keeping cancelled tasks until they are due (what
 * it did before). A loopback server in the same JVM answers every request at once with the same item, so
 * that the difference is the client's. Run it at 1 and 16 threads ({@code -t 1}, {@code -t 16}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TimeoutSchedulerBenchmark {

	private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("products#0"), "sk",
			AttributeValue.fromS("p0"));

	/** The scheduler of the client's timeout tasks, and whether requests carry timeouts at all. */
	@Param({ "noTimeouts", "sdkDefault", "removeCancelled", "keepCancelled" })
	public String scheduler;

	private HttpServer server;

	private ScheduledExecutorService timeouts;

	private DynamoDbClient client;

	private AwsRequestOverrideConfiguration budget;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		byte[] answer = "{\"Item\":{\"pk\":{\"S\":\"products#0\"},\"sk\":{\"S\":\"p0\"},\"val\":{\"B\":\"AAAA\"}}}"
			.getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
			exchange.sendResponseHeaders(200, answer.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(answer);
			}
		});
		this.server.start();
		this.timeouts = switch (this.scheduler) {
			case "removeCancelled" -> RequestBudget.newTimeoutScheduler();
			case "keepCancelled" -> {
				ScheduledThreadPoolExecutor keeping = (ScheduledThreadPoolExecutor) RequestBudget.newTimeoutScheduler();
				keeping.setRemoveOnCancelPolicy(false);
				yield keeping;
			}
			default -> null;
		};
		this.budget = "noTimeouts".equals(this.scheduler) ? null : StoreVersusSdkBenchmark.BUDGET;
		this.client = DynamoDbClient.builder()
			.httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
			.endpointOverride(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.overrideConfiguration((override) -> {
				if (this.timeouts != null) {
					override.scheduledExecutorService(this.timeouts);
				}
				override.retryStrategy(RequestBudget.DEFAULT.retryStrategy());
			})
			.build();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.client.close();
		if (this.timeouts != null) {
			this.timeouts.shutdownNow();
		}
		this.server.stop(0);
	}

	@Benchmark
	public Object getItem() {
		return this.client.getItem((request) -> {
			request.tableName("benchmark-timeouts").key(KEY);
			if (this.budget != null) {
				request.overrideConfiguration(this.budget);
			}
		}).item();
	}

}
