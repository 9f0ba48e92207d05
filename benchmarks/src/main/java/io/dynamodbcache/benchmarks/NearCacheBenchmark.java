package io.dynamodbcache.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
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

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A hit of the near cache against a hit in DynamoDB, on the same entries of the same in-process DynamoDB
 * Local: {@code sdkGet} is the raw GetItem of an entry's item (no codec, no budget), {@code storeGet} the
 * store's read of the same entry without a near cache, {@code nearGet} the same read answered from the near
 * cache (which still decodes the stored JSON on every hit, so that callers never share an instance). The
 * value is a record of about 200 bytes of JSON; 1,000 keys are read round-robin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class NearCacheBenchmark {

	private static final String TABLE = "benchmark-near-cache";

	private static final int KEYS = 1_000;

	private DynamoDbLocal local;

	private DynamoDbClient client;

	private DynamoDbCacheStore store;

	private DynamoDbCacheStore near;

	private List<Map<String, AttributeValue>> primaryKeys;

	private int counter;

	@Setup(Level.Trial)
	public void setUp() {
		this.local = DynamoDbLocal.start();
		this.client = this.local.client();
		this.store = StoreVersusSdkBenchmark.productStore(this.client, TABLE);
		this.near = this.store.withNearCache(new NearCacheSettings(KEYS, Duration.ofHours(1)));
		Product product = Product.sample();
		this.primaryKeys = new ArrayList<>(KEYS);
		for (int i = 0; i < KEYS; i++) {
			String key = key(i);
			this.store.put("products", key, product);
			this.near.get("products", key);
			this.primaryKeys.add(primaryKey("products", key));
		}
		// Every benchmark reads a hit: a layout the benchmark got wrong would measure misses instead.
		for (int i = 0; i < KEYS; i++) {
			if (sdkGet().isEmpty() || storeGet() == null || nearGet() == null) {
				throw new IllegalStateException("Entry " + this.counter + " is not a hit");
			}
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.local.close();
	}

	/** The item's key in the README's table layout: partition {@code <cache>#<shard>}, 16 shards. */
	private static Map<String, AttributeValue> primaryKey(String cacheName, String key) {
		return Map.of("pk", AttributeValue.fromS(cacheName + "#" + Math.floorMod(key.hashCode(), 16)), "sk",
				AttributeValue.fromS(key));
	}

	private static String key(int i) {
		return "product-" + i;
	}

	private int next() {
		this.counter = (this.counter + 1) % KEYS;
		return this.counter;
	}

	@Benchmark
	public Map<String, AttributeValue> sdkGet() {
		Map<String, AttributeValue> primaryKey = this.primaryKeys.get(next());
		return this.client.getItem((request) -> request.tableName(TABLE).key(primaryKey)).item();
	}

	@Benchmark
	public Object storeGet() {
		return this.store.get("products", key(next()));
	}

	@Benchmark
	public Object nearGet() {
		return this.near.get("products", key(next()));
	}

}
