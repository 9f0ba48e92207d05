package io.dynamodbcache.spring.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.Jackson3ValueCodec;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of cache operations over keys that used to collide and over common values, run against
 * Spring's {@link ConcurrentMapCache} (the reference) and against a {@link DynamoDbCache} on DynamoDB Local:
 * every observable result must be the same, values equal and of the same class, also with a near cache in
 * front of DynamoDB. A fixed seed keeps CI repeatable; jqwik shrinks a failing sequence to a minimal one.
 */
class ConcurrentMapCacheDifferentialTests {

	private static final AtomicInteger CACHES = new AtomicInteger();

	private static DynamoDbCacheManager manager;

	/** The same store, each cache with a near cache in front of it. */
	private static DynamoDbCacheManager nearManager;

	/** A store on the same table encoding with Jackson 3, as the Spring Boot 4 starter does by default. */
	private static DynamoDbCacheManager jackson3Manager;

	@BeforeContainer
	static void createManager() {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(DynamoDbLocal.shared().client())
			.tableName("differential-" + UUID.randomUUID())
			.shards(2)
			.codec(JacksonValueCodec.builder().allowPackages("io.dynamodbcache.spring").build())
			.build();
		store.ensureTable();
		manager = DynamoDbCacheManager.create(store);
		manager.afterPropertiesSet();
		nearManager = DynamoDbCacheManager.builder(store)
			.cacheDefaults(DynamoDbCacheConfiguration.defaultCacheConfig()
				.enableNearCache(new NearCacheSettings(100, Duration.ofMinutes(5))))
			.build();
		nearManager.afterPropertiesSet();
		if (Jackson3Present.isPresent()) {
			jackson3Manager = DynamoDbCacheManager.create(DynamoDbCacheStore.builder(DynamoDbLocal.shared().client())
				.tableName(store.getTableName())
				.shards(2)
				.codec(Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.spring").build())
				.build());
			jackson3Manager.afterPropertiesSet();
		}
	}

	@Property(tries = 2000, seed = "20261123")
	void everyOperationSequenceBehavesAsOnConcurrentMapCache(@ForAll("operations") List<Operation> operations) {
		behavesAsOnConcurrentMapCache(manager, operations);
	}

	@Property(tries = 500, seed = "20261202")
	void everyOperationSequenceBehavesAsOnConcurrentMapCacheWithANearCache(
			@ForAll("operations") List<Operation> operations) {
		behavesAsOnConcurrentMapCache(nearManager, operations);
	}

	@Property(tries = 1000, seed = "20261203")
	@AddLifecycleHook(Jackson3Present.class)
	void everyOperationSequenceBehavesAsOnConcurrentMapCacheWithJackson3(@ForAll("operations") List<Operation> operations) {
		behavesAsOnConcurrentMapCache(jackson3Manager, operations);
	}

	private static void behavesAsOnConcurrentMapCache(DynamoDbCacheManager cacheManager, List<Operation> operations) {
		String name = "differential-" + CACHES.incrementAndGet();
		Cache reference = new RefusedKeysUncached(new ConcurrentMapCache(name));
		Cache cache = Objects.requireNonNull(cacheManager.getCache(name));
		Statistics.label("writes of a value over 400 KB")
			.collect(operations.stream().anyMatch(ConcurrentMapCacheDifferentialTests::writesAChunkedValue));
		for (Operation operation : operations) {
			assertThat(outcome(operation.apply(cache))).as("%s in %s", operation, operations)
				.isEqualTo(outcome(operation.apply(reference)));
		}
	}

	/** What a caller can tell apart: presence, the value, and the value's class. */
	private static List<Object> outcome(Object result) {
		List<Object> outcome = new ArrayList<>();
		outcome.add(String.valueOf(result instanceof ValueWrapper));
		Object value = (result instanceof ValueWrapper wrapper) ? wrapper.get() : result;
		outcome.add(String.valueOf(value));
		outcome.add((value != null) ? value.getClass().getName() : "null");
		return outcome;
	}

	@Provide
	Arbitrary<List<Operation>> operations() {
		Arbitrary<Object> keys = Arbitraries.of("1", 1, 1L, "null", "", "~x", "~i:1", "a", "Smith, John",
				new SimpleKey("a", null), new SimpleKey("a", "null"), new SimpleKey("Smith, John", "UK"),
				new SimpleKey("Smith", "John, UK"), new SimpleKey("a"), SimpleKey.EMPTY, List.of("a", "b"),
				new Sku("A", 1), new Sku("A", 11), Color.RED, "RED", new BigDecimal("1.0"), new BigDecimal("1.00"),
				// Lone surrogates, which DynamoDB stores as one replacement character, and what they could run into.
				"\uD800", "\uDBFF", "?", "\uFFFD", "\\uD800", "~w\\uD800", List.of("\uD800"), '\uDC00',
				// Equal hash codes and no toString: Object.toString() would give both the same text.
				new HashOnlyKey("Aa"), new HashOnlyKey("BB"));
		Arbitrary<Object> small = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(Object.class::cast),
				Arbitraries.integers().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast),
				Arbitraries.bigDecimals().ofScale(2).map(Object.class::cast),
				Arbitraries.of(LocalDate.of(2026, 1, 1), LocalDate.of(1999, 12, 31)).map(Object.class::cast),
				Arbitraries.strings().ofMaxLength(4).list().ofMaxSize(3).map((list) -> (Object) new ArrayList<>(list)),
				Arbitraries.integers().list().ofMaxSize(3).map((list) -> {
					HashMap<String, Integer> map = new HashMap<>();
					list.forEach((i) -> map.put("k" + i, i));
					return (Object) map;
				}), Combinators.combine(Arbitraries.strings().ofMaxLength(5), Arbitraries.integers())
					.as((sku, size) -> (Object) new Sku(sku, size)),
				Arbitraries.longs().list().ofMaxSize(3).map((list) -> {
					HashMap<Long, String> map = new HashMap<>();
					list.forEach((l) -> map.put(l, "v" + l));
					return (Object) map;
				}), Arbitraries.subsetOf(Color.values()).map((colors) -> {
					EnumSet<Color> set = EnumSet.noneOf(Color.class);
					set.addAll(colors);
					return (Object) set;
				}), Arbitraries.strings().ofMaxLength(3).optional().map(Object.class::cast),
				Arbitraries.integers().list().ofMaxSize(3).map((list) -> (Object) List.copyOf(list)),
				Arbitraries.of(Color.values()).list().ofMaxSize(3).map((colors) -> {
					HashMap<Color, List<Sku>> grouped = new HashMap<>();
					colors.forEach((color) -> grouped.computeIfAbsent(color, (c) -> new ArrayList<>()).add(new Sku("s", 1)));
					return (Object) grouped;
				}), Combinators.combine(Arbitraries.subsetOf(Color.values()), Arbitraries.longs().list().ofMaxSize(2),
						Arbitraries.integers().list().ofMaxSize(2))
					.as((colors, ids, numbers) -> {
						// Containers inside a record: typed fields and Object-typed ones (issue 19, item 7).
						EnumSet<Color> set = EnumSet.noneOf(Color.class);
						set.addAll(colors);
						HashMap<Long, String> byId = new HashMap<>();
						ids.forEach((id) -> byId.put(id, "v" + id));
						return (Object) new Shelf(set, byId, new HashMap<>(Map.of("numbers", List.copyOf(numbers))),
								List.copyOf(numbers));
					}));
		// Strings from 1 byte to 3 MB, compressible or not: over 400 KB stored they are chunked (issue 22).
		Arbitrary<Object> large = Combinators
			.combine(Arbitraries.of(1, 1000, 300 * 1024, 450 * 1024, 1024 * 1024, 3 * 1024 * 1024),
					Arbitraries.of(true, false), Arbitraries.longs())
			.as(ConcurrentMapCacheDifferentialTests::largeString);
		Arbitrary<Object> values = Arbitraries.frequencyOf(Tuple.of(150, small), Tuple.of(1, large)).injectNull(0.1);
		Arbitrary<Operation> operation = Arbitraries.frequencyOf(
				Tuple.of(5, Combinators.combine(keys, values).as(Put::new)),
				Tuple.of(5, keys.map(Get::new)),
				Tuple.of(2, Combinators.combine(keys, values).as(PutIfAbsent::new)),
				Tuple.of(2, keys.map(EvictIfPresent::new)),
				Tuple.of(3, Combinators.combine(keys, values).as(GetWithLoader::new)),
				Tuple.of(1, Arbitraries.just(new Invalidate())));
		return operation.list().ofMinSize(1).ofMaxSize(10);
	}

	private static boolean writesAChunkedValue(Operation operation) {
		Object value = (operation instanceof Put put) ? put.value()
				: (operation instanceof PutIfAbsent putIfAbsent) ? putIfAbsent.value()
						: (operation instanceof GetWithLoader loader) ? loader.value() : null;
		return value instanceof String text && text.length() > 400 * 1024;
	}

	/** A string of about {@code size} UTF-8 bytes: repeated words, or random letters that deflate to about 3/4. */
	private static Object largeString(int size, boolean compressible, long seed) {
		Random random = new Random(seed);
		StringBuilder text = new StringBuilder(size);
		String[] words = { "cache ", "dynamo ", "value ", "chunk ", "head " };
		while (text.length() < size) {
			if (compressible) {
				text.append(words[random.nextInt(words.length)]);
			}
			else {
				text.append((char) ('!' + random.nextInt(94)));
			}
		}
		text.setLength(size);
		return text.toString();
	}

	record Sku(String sku, int size) {
	}

	record Shelf(EnumSet<Color> colors, Object byId, Map<String, Object> extra, List<Integer> numbers) {
	}

	/** A key with equals and hashCode but no toString: refused (the documented difference), so never cached. */
	static final class HashOnlyKey {

		private final String id;

		HashOnlyKey(String id) {
			this.id = id;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof HashOnlyKey that && this.id.equals(that.id);
		}

		@Override
		public int hashCode() {
			return this.id.hashCode();
		}

	}

	/**
	 * The reference for keys the DynamoDB cache refuses (a WARN, then every call goes to the method): a
	 * {@code ConcurrentMapCache} that does not cache them either.
	 */
	static final class RefusedKeysUncached extends org.springframework.cache.support.AbstractValueAdaptingCache {

		private final Cache cache;

		RefusedKeysUncached(Cache cache) {
			super(true);
			this.cache = cache;
		}

		private static boolean refused(Object key) {
			return key instanceof HashOnlyKey;
		}

		@Override
		public String getName() {
			return this.cache.getName();
		}

		@Override
		public Object getNativeCache() {
			return this.cache;
		}

		@Override
		protected Object lookup(Object key) {
			ValueWrapper wrapper = refused(key) ? null : this.cache.get(key);
			return (wrapper != null) ? toStoreValue(wrapper.get()) : null;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T get(Object key, java.util.concurrent.Callable<T> valueLoader) {
			if (!refused(key)) {
				return this.cache.get(key, valueLoader);
			}
			try {
				return valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
		}

		@Override
		public void put(Object key, Object value) {
			if (!refused(key)) {
				this.cache.put(key, value);
			}
		}

		@Override
		public ValueWrapper putIfAbsent(Object key, Object value) {
			return refused(key) ? null : this.cache.putIfAbsent(key, value);
		}

		@Override
		public void evict(Object key) {
			evictIfPresent(key);
		}

		@Override
		public boolean evictIfPresent(Object key) {
			return !refused(key) && this.cache.evictIfPresent(key);
		}

		@Override
		public void clear() {
			this.cache.clear();
		}

		@Override
		public boolean invalidate() {
			return this.cache.invalidate();
		}

	}

	enum Color {

		RED, GREEN, BLUE

	}

	sealed interface Operation permits Put, Get, PutIfAbsent, EvictIfPresent, GetWithLoader, Invalidate {

		Object apply(Cache cache);

	}

	record Put(Object key, Object value) implements Operation {

		@Override
		public Object apply(Cache cache) {
			cache.put(this.key, this.value);
			return "done";
		}

	}

	record Get(Object key) implements Operation {

		@Override
		public Object apply(Cache cache) {
			return cache.get(this.key);
		}

	}

	record PutIfAbsent(Object key, Object value) implements Operation {

		@Override
		public Object apply(Cache cache) {
			return cache.putIfAbsent(this.key, this.value);
		}

	}

	record EvictIfPresent(Object key) implements Operation {

		@Override
		public Object apply(Cache cache) {
			return cache.evictIfPresent(this.key);
		}

	}

	record GetWithLoader(Object key, Object value) implements Operation {

		@Override
		public Object apply(Cache cache) {
			AtomicBoolean loaded = new AtomicBoolean();
			Object result = cache.get(this.key, () -> {
				loaded.set(true);
				return this.value;
			});
			return List.of(String.valueOf(result), (result != null) ? result.getClass().getName() : "null",
					loaded.get());
		}

	}

	record Invalidate() implements Operation {

		@Override
		public Object apply(Cache cache) {
			return cache.invalidate();
		}

	}

}
