package io.dynamodbcache.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.Jackson3ValueCodec;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.ValueCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two JSON codecs side by side, on the same values: {@link JacksonValueCodec} (Jackson 2, what the Boot 3.5
 * starter uses) and {@link Jackson3ValueCodec} (Jackson 3, what the Boot 4 starter uses). {@code product} is the
 * store benchmarks' 200-byte record; {@code catalog} a map of 50 of them with timestamps, about 12 KB of JSON.
 * Run at 1 and 16 threads ({@code -t 1}, {@code -t 16}); the ratio of Jackson 3 to Jackson 2 is what matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonCodecBenchmark {

	@Param({ "product", "catalog" })
	public String value;

	private final ValueCodec jackson2 = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.benchmarks").build();

	private final ValueCodec jackson3 = Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.benchmarks").build();

	private Object sample;

	private byte[] encoded;

	@Setup
	public void setUp() {
		this.sample = this.value.equals("product") ? Product.sample() : catalog();
		this.encoded = this.jackson2.encode(this.sample);
		if (!this.jackson3.decode(this.encoded).equals(this.sample)) {
			throw new IllegalStateException("Jackson 3 does not read what Jackson 2 wrote");
		}
	}

	private static Map<String, Object> catalog() {
		Map<String, Object> catalog = new HashMap<>();
		for (int i = 0; i < 50; i++) {
			List<Object> entry = new ArrayList<>(List.of(Product.sample(), Instant.ofEpochSecond(1_764_000_000L + i)));
			catalog.put("sku-" + i, entry);
		}
		return catalog;
	}

	@Benchmark
	public byte[] encodeJackson2() {
		return this.jackson2.encode(this.sample);
	}

	@Benchmark
	public byte[] encodeJackson3() {
		return this.jackson3.encode(this.sample);
	}

	@Benchmark
	public Object decodeJackson2() {
		return this.jackson2.decode(this.encoded);
	}

	@Benchmark
	public Object decodeJackson3() {
		return this.jackson3.decode(this.encoded);
	}

}
