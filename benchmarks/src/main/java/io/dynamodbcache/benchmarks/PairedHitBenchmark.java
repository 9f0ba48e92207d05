package io.dynamodbcache.benchmarks;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A cache hit against the raw SDK call it makes, measured at the same time: each JMH group runs both
 * methods at once, on their own threads, against the same in-process DynamoDB Local, so that whatever
 * DynamoDB Local, the JIT and the machine do in an iteration happens to both. {@link StoreVersusSdkBenchmark}
 * runs them one after the other, and on two cores their error bars (30-75 %) were wider than any difference;
 * here the ratio of the two rates is taken per iteration ({@link PairedHitReport}).
 * <ul>
 * <li>{@code hits16}: a store hit ({@link DynamoDbCacheStore#get}) and a raw {@code GetItem} of an item of the
 * same size, 8 threads each (16 at once).</li>
 * <li>{@code hits1}: a {@code @Cacheable} hit (a Spring bean proxied by {@code @EnableCaching}, on the
 * {@link DynamoDbCacheManager}) and a raw {@code GetItem}, 1 thread each: the ratio of the rates is the
 * inverse ratio of the time per call.</li>
 * </ul>
 * The raw calls carry no timeouts (the store's carry its time budget), as the targets ask.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(2)
public class PairedHitBenchmark {

	private static final String TABLE = "benchmark-paired";

	private static final String RAW_TABLE = "benchmark-paired-raw";

	private static final int KEYS = 1000;

	/** DynamoDB Local with the same products in the store's table and, as raw items, in another. */
	@State(Scope.Benchmark)
	public static class Tables {

		DynamoDbLocal local;

		DynamoDbClient client;

		DynamoDbCacheStore store;

		AnnotationConfigApplicationContext context;

		Catalog catalog;

		@Setup(Level.Trial)
		public void setUp() {
			this.local = DynamoDbLocal.start();
			this.client = this.local.client();
			this.store = StoreVersusSdkBenchmark.productStore(this.client, TABLE);
			DynamoDbCacheStore.builder(this.client).tableName(RAW_TABLE).build().ensureTable();
			Product product = Product.sample();
			for (int i = 0; i < KEYS; i++) {
				String key = "p" + i;
				this.store.put("products", key, product);
				this.client.putItem((request) -> request.tableName(RAW_TABLE).item(StoreVersusSdkBenchmark.rawItem(key)));
			}
			this.context = new AnnotationConfigApplicationContext();
			this.context.registerBean(DynamoDbCacheStore.class, () -> this.store);
			this.context.register(CachingConfiguration.class);
			this.context.refresh();
			this.catalog = this.context.getBean(Catalog.class);
			Cache cache = Objects.requireNonNull(this.context.getBean(CacheManager.class).getCache("products"));
			for (int i = 0; i < KEYS; i++) {
				cache.put("p" + i, product);
			}
			for (int i = 0; i < KEYS; i++) {
				if (!product.equals(this.catalog.product("p" + i))) {
					throw new IllegalStateException("Not a hit: p" + i);
				}
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.close();
			this.local.stop();
		}

	}

	/** Each thread's next key. */
	@State(Scope.Thread)
	public static class Keys {

		private int next;

		String next() {
			this.next = (this.next + 1) % KEYS;
			return "p" + this.next;
		}

	}

	@Benchmark
	@Group("hits16")
	@GroupThreads(8)
	public Object storeHitAt16(Tables tables, Keys keys) {
		return tables.store.get("products", keys.next());
	}

	@Benchmark
	@Group("hits16")
	@GroupThreads(8)
	public Object sdkGetAt16(Tables tables, Keys keys) {
		return sdkGet(tables, keys.next());
	}

	@Benchmark
	@Group("hits1")
	@GroupThreads(1)
	public Object cacheableHitAt1(Tables tables, Keys keys) {
		return tables.catalog.product(keys.next());
	}

	@Benchmark
	@Group("hits1")
	@GroupThreads(1)
	public Object sdkGetAt1(Tables tables, Keys keys) {
		return sdkGet(tables, keys.next());
	}

	private static Object sdkGet(Tables tables, String key) {
		return tables.client.getItem((request) -> request.tableName(RAW_TABLE).key(StoreVersusSdkBenchmark.rawKey(key)))
			.item();
	}

	/** A bean with a {@code @Cacheable} method whose every call in the benchmark is a hit. */
	public static class Catalog {

		@Cacheable("products")
		public Product product(String sku) {
			throw new IllegalStateException("A miss in a benchmark of hits: " + sku);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		CacheManager cacheManager(DynamoDbCacheStore store) {
			return DynamoDbCacheManager.create(store);
		}

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

	}

}
