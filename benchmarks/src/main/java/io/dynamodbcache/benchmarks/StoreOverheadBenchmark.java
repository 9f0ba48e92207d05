package io.dynamodbcache.benchmarks;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
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

	private CannedItemServer server;

	private DynamoDbClient client;

	private DynamoDbCacheStore store;

	private Product product;

	private Map<String, AttributeValue> primaryKey;

	private Map<String, AttributeValue> storedItem;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.product = Product.sample();
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Product.class).build();
		this.server = CannedItemServer.start(TABLE, this.product, codec, 2);
		this.primaryKey = this.server.primaryKey();
		this.storedItem = this.server.storedItem();
		this.client = DynamoDbClient.builder()
			.httpClientBuilder(Apache5HttpClient.builder())
			.endpointOverride(this.server.endpoint())
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
		this.server.close();
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

}
