package io.dynamodbcache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store's own cost over the raw SDK calls it makes, without DynamoDB Local's noise: both talk to a
 * loopback HTTP server in the same JVM that answers every GetItem with the same stored item (captured from
 * DynamoDB Local at setup) and every PutItem with an empty answer, so that the server's work is the same small
 * constant for both. The raw calls carry the store's time budget, as a careful caller's would; the store adds
 * the JSON codec with type ids, the item layout and expiry rules, and the circuit breaker. The value is a
 * record of about 200 bytes of JSON. The {@code ...WithoutNetwork} variants run the same store on a client
 * that answers in memory, without the SDK's pipeline: their time per call is the store's own work, and
 * {@code cacheGetWithoutNetwork} that of a Spring cache hit on that store (what {@code @Cacheable} adds to
 * Spring's own interceptor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class StoreOverheadBenchmark {

	private static final String TABLE = "benchmark-overhead";

	private HttpServer server;

	private DynamoDbClient client;

	private DynamoDbCacheStore store;

	private Product product;

	private Map<String, AttributeValue> primaryKey;

	private Map<String, AttributeValue> storedItem;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.product = Product.sample();
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Product.class).build();
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			DynamoDbCacheStore captured = DynamoDbCacheStore.builder(local.client()).tableName(TABLE).codec(codec).build();
			captured.put("products", "p0", this.product);
			this.primaryKey = Map.of("pk", AttributeValue.fromS("products#" + Math.floorMod("p0".hashCode(), 16)), "sk",
					AttributeValue.fromS("p0"));
			this.storedItem = local.client()
				.getItem((request) -> request.tableName(TABLE).key(this.primaryKey))
				.item();
		}
		String getItem = "{\"Item\":" + json(this.storedItem) + "}";
		// Without TCP_NODELAY the JDK's server answers in two writes that Nagle's algorithm holds back 40 ms.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newFixedThreadPool(2));
		this.server.createContext("/", (exchange) -> answer(exchange, getItem));
		this.server.start();
		this.client = DynamoDbClient.builder()
			.httpClientBuilder(Apache5HttpClient.builder())
			.endpointOverride(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.build();
		this.store = DynamoDbCacheStore.builder(this.client).tableName(TABLE).codec(codec).build();
		if (!this.product.equals(this.store.get("products", "p0"))
				|| this.client.getItem((request) -> request.tableName(TABLE).key(this.primaryKey)).item().isEmpty()) {
			throw new IllegalStateException("The canned GetItem answer is not a hit");
		}
		setUpWithoutNetwork(codec);
	}

	/** The same store on a client that answers at once, in memory: what is left is the store's own work. */
	private DynamoDbCacheStore storeWithoutNetwork;

	private void setUpWithoutNetwork(JacksonValueCodec codec) {
		DynamoDbClient answering = new AnsweringClient(this.client, this.storedItem, null);
		this.storeWithoutNetwork = DynamoDbCacheStore.builder(answering).tableName(TABLE).codec(codec).build();
		if (!this.product.equals(this.storeWithoutNetwork.get("products", "p0"))) {
			throw new IllegalStateException("The in-memory GetItem answer is not a hit");
		}
		this.cacheWithoutNetwork = DynamoDbCacheManager.builder(this.storeWithoutNetwork).build().getCache("products");
		ValueWrapper cached = this.cacheWithoutNetwork.get("p0");
		if (cached == null || !this.product.equals(cached.get())) {
			throw new IllegalStateException("The in-memory GetItem answer is not a cache hit");
		}
	}

	/** The Spring cache on that store: what a {@code @Cacheable} hit adds to Spring's own interceptor. */
	private Cache cacheWithoutNetwork;

	@TearDown(Level.Trial)
	public void tearDown() {
		this.client.close();
		this.server.stop(0);
		((ExecutorService) this.server.getExecutor()).shutdownNow();
	}

	@Benchmark
	public Object sdkGet() {
		return this.client.getItem((request) -> request.tableName(TABLE)
			.overrideConfiguration(StoreVersusSdkBenchmark.BUDGET)
			.key(this.primaryKey)).item();
	}

	@Benchmark
	public Object storeGet() {
		return this.store.get("products", "p0");
	}

	@Benchmark
	public Object sdkPut() {
		return this.client.putItem((request) -> request.tableName(TABLE)
			.overrideConfiguration(StoreVersusSdkBenchmark.BUDGET)
			.item(this.storedItem));
	}

	@Benchmark
	public void storePut() {
		this.store.put("products", "p0", this.product);
	}

	@Benchmark
	public Object storeGetWithoutNetwork() {
		return this.storeWithoutNetwork.get("products", "p0");
	}

	@Benchmark
	public Object cacheGetWithoutNetwork() {
		return this.cacheWithoutNetwork.get("p0");
	}

	@Benchmark
	public void storePutWithoutNetwork() {
		this.storeWithoutNetwork.put("products", "p0", this.product);
	}

	/** The answer to any DynamoDB request the benchmark sends, by its X-Amz-Target header. */
	private static void answer(HttpExchange exchange, String getItem) throws IOException {
		try (InputStream body = exchange.getRequestBody()) {
			body.readAllBytes();
		}
		String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
		String answer;
		if (target.endsWith(".GetItem")) {
			answer = getItem;
		}
		else if (target.endsWith(".DescribeTable")) {
			answer = "{\"Table\":{\"TableName\":\"" + TABLE + "\",\"TableStatus\":\"ACTIVE\",\"KeySchema\":["
					+ "{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
					+ "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
					+ "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}]}}";
		}
		else if (target.endsWith(".DescribeTimeToLive")) {
			answer = "{\"TimeToLiveDescription\":{\"AttributeName\":\"expiresAt\",\"TimeToLiveStatus\":\"ENABLED\"}}";
		}
		else {
			answer = "{}";
		}
		byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** An item in DynamoDB's JSON: the store writes strings, numbers and binary only. */
	private static String json(Map<String, AttributeValue> item) {
		StringJoiner attributes = new StringJoiner(",", "{", "}");
		item.forEach((name, value) -> {
			String typed;
			if (value.s() != null) {
				typed = "{\"S\":\"" + value.s().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
			}
			else if (value.n() != null) {
				typed = "{\"N\":\"" + value.n() + "\"}";
			}
			else {
				SdkBytes bytes = value.b();
				typed = "{\"B\":\"" + Base64.getEncoder().encodeToString(bytes.asByteArray()) + "\"}";
			}
			attributes.add("\"" + name + "\":" + typed);
		});
		return attributes.toString();
	}

}
