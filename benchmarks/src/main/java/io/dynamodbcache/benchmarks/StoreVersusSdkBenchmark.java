package io.dynamodbcache.benchmarks;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.RequestBudget;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Single-thread get and put through {@link DynamoDbCacheStore} against the raw SDK calls it makes, on the
 * same in-process DynamoDB Local: the difference is the store's own overhead (JSON with type ids, expiry
 * attributes, key layout, circuit breaker) plus the cost of its time budget, which the SDK enforces with
 * timer tasks. The {@code ...WithBudget} variants are the raw calls with that same budget, to tell the two
 * apart. The value is a small record of about 200 bytes of JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
public class StoreVersusSdkBenchmark {

	private static final String TABLE = "benchmark-cache";

	private static final String RAW_TABLE = "benchmark-raw";

	/** The store's default time budget as a per-request override, as a careful caller sets it on raw calls. */
	static final AwsRequestOverrideConfiguration BUDGET = AwsRequestOverrideConfiguration.builder()
		.apiCallAttemptTimeout(RequestBudget.DEFAULT.attemptTimeout())
		.apiCallTimeout(RequestBudget.DEFAULT.apiCallTimeout())
		.build();

	private static final byte[] PRODUCT_JSON = ("{\"sku\":\"sku-123456\",\"name\":\"Stainless steel water bottle, 750 ml\","
			+ "\"price\":24.90,\"tags\":[\"kitchen\",\"outdoor\",\"gift\"],\"stock\":1250}").getBytes(StandardCharsets.UTF_8);

	private DynamoDbLocal local;

	private DynamoDbClient client;

	private DynamoDbCacheStore store;

	private Product product;


	private int counter;

	@Setup(Level.Trial)
	public void setUp() {
		this.local = DynamoDbLocal.start();
		this.client = this.local.client();
		this.store = productStore(this.client, TABLE);
		DynamoDbCacheStore.builder(this.client).tableName(RAW_TABLE).build().ensureTable();
		this.product = Product.sample();
		for (int i = 0; i < 1000; i++) {
			Map<String, AttributeValue> item = rawItem("p" + i);
			this.store.put("products", "p" + i, this.product);
			this.client.putItem((request) -> request.tableName(RAW_TABLE).item(item));
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.local.stop();
	}

	@Benchmark
	public Object storeGet() {
		return this.store.get("products", "p" + (this.counter++ % 1000));
	}

	@Benchmark
	public Object sdkGet() {
		String key = "p" + (this.counter++ % 1000);
		return this.client.getItem((request) -> request.tableName(RAW_TABLE)
			.key(rawKey(key)))
			.item();
	}

	/** The raw GetItem with the store's default time budget set on the request, as a careful caller would. */
	@Benchmark
	public Object sdkGetWithBudget() {
		String key = "p" + (this.counter++ % 1000);
		return this.client.getItem((request) -> request.tableName(RAW_TABLE)
			.overrideConfiguration(BUDGET)
			.key(rawKey(key)))
			.item();
	}

	@Benchmark
	public void storePut() {
		this.store.put("products", "p" + (this.counter++ % 1000), this.product);
	}

	@Benchmark
	public void sdkPut() {
		this.client.putItem((request) -> request.tableName(RAW_TABLE).item(rawItem("p" + (this.counter++ % 1000))));
	}

	/** The raw PutItem with the store's default time budget set on the request. */
	@Benchmark
	public void sdkPutWithBudget() {
		this.client.putItem((request) -> request.tableName(RAW_TABLE)
			.overrideConfiguration(BUDGET)
			.item(rawItem("p" + (this.counter++ % 1000))));
	}

	/** The key of a raw item: the store's layout without its codec (16 partitions of a cache, the key itself). */
	static Map<String, AttributeValue> rawKey(String key) {
		return Map.of("pk", AttributeValue.fromS("products#" + (key.hashCode() & 15)), "sk", AttributeValue.fromS(key));
	}

	/** A raw item holding the product as plain JSON, the size of the store's item without its attributes. */
	static Map<String, AttributeValue> rawItem(String key) {
		Map<String, AttributeValue> item = new HashMap<>(rawKey(key));
		item.put("val", AttributeValue.fromB(SdkBytes.fromByteArray(PRODUCT_JSON)));
		return item;
	}

	/** A store whose codec allows {@link Product}, on a table it has made ready. */
	static DynamoDbCacheStore productStore(DynamoDbClient client, String table) {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(client)
			.tableName(table)
			.codec(JacksonValueCodec.builder().allowTypes(Product.class).build())
			.build();
		store.ensureTable();
		return store;
	}

	/** The cached value. */
	public record Product(String sku, String name, BigDecimal price, List<String> tags, int stock) {

		/** The benchmarks' value: about 200 bytes of JSON. */
		static Product sample() {
			return new Product("sku-123456", "Stainless steel water bottle, 750 ml", new BigDecimal("24.90"),
					List.of("kitchen", "outdoor", "gift"), 1250);
		}
	}

}
