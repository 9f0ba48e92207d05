package io.dynamodbcache.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.MutableClock;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@DynamoDbLocalTest
class DynamoDbCacheStoreTests {

	private static DynamoDbClient client;

	private static String table;

	private static MutableClock clock;

	private static DynamoDbCacheStore store;

	private String cache;

	@BeforeAll
	static void createStore(DynamoDbClient dynamoDb, UniqueTableName tableName) {
		client = dynamoDb;
		table = tableName.value();
		clock = MutableClock.startingNow();
		store = DynamoDbCacheStore.builder(client)
			.tableName(table)
			.clock(clock)
			.codec(JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build())
			.build();
	}

	@BeforeEach
	void freshCacheName() {
		this.cache = "cache-" + UUID.randomUUID();
	}

	@Test
	void createsTheTableWithTimeToLiveOnExpiresAt() {
		store.ensureTable();

		var table = client.describeTable((request) -> request.tableName(DynamoDbCacheStoreTests.table)).table();
		assertThat(table.keySchema()).extracting((key) -> key.attributeName() + ":" + key.keyType())
			.containsExactly("pk:HASH", "sk:RANGE");
		var ttl = client.describeTimeToLive((request) -> request.tableName(DynamoDbCacheStoreTests.table))
			.timeToLiveDescription();
		assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
		assertThat(ttl.attributeName()).isEqualTo("expiresAt");
	}

	@Test
	void keysWithLoneSurrogatesAreRefusedSinceDynamoDbWouldStoreThemAsOneReplacementCharacter() {
		for (String key : List.of("\uD800", "a\uDBFF", "\uDC00b")) {
			assertThatIllegalArgumentException().isThrownBy(() -> store.put("surrogates", key, "v"))
				.withMessageContaining("lone surrogate");
			assertThatIllegalArgumentException().isThrownBy(() -> store.get("surrogates", key))
				.withMessageContaining("at index");
		}
		store.put("surrogates", "\uD83D\uDE00", "pair");
		assertThat(store.get("surrogates", "\uD83D\uDE00")).isEqualTo("pair");
		assertThat(store.get("surrogates", "?")).isNull();
	}

	@Test
	void roundTripsJdkValues() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("string", "héllo wörld ✓");
		values.put("int", 42);
		values.put("long", 9_000_000_000L);
		values.put("double", 3.25);
		values.put("bigDecimal", new BigDecimal("12345.678900"));
		values.put("boolean", true);
		values.put("bytes", new byte[] { 0, 1, 2, (byte) 255 });
		values.put("instant", Instant.parse("2026-11-23T10:15:30.123Z"));
		values.put("localDate", LocalDate.of(2026, 2, 28));
		values.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
		values.put("list", new ArrayList<>(List.of("a", 1, 2L)));
		values.put("immutableList", List.of("x", "y"));
		values.put("map", new LinkedHashMap<>(Map.of("k", List.of(1, 2))));
		values.put("immutableMap", Map.of("a", 1));

		values.forEach((key, value) -> store.put(this.cache, key, value));

		values.forEach((key, value) -> assertThat(store.get(this.cache, key)).as(key).isEqualTo(value));
	}

	@Test
	void roundTripsRecordsAndPojosOfAllowedPackages() {
		Book book = new Book("isbn-1", "Dune", List.of(new Author("Frank", "Herbert")), new BigDecimal("9.99"),
				Instant.parse("1965-08-01T00:00:00Z"));
		Shelf shelf = new Shelf();
		shelf.setName("sci-fi");
		shelf.setBooks(List.of(book, book));

		store.put(this.cache, "book", book);
		store.put(this.cache, "shelf", shelf);

		assertThat(store.get(this.cache, "book")).isEqualTo(book);
		Object readShelf = store.get(this.cache, "shelf");
		assertThat(readShelf).isInstanceOf(Shelf.class);
		assertThat(((Shelf) readShelf).getName()).isEqualTo("sci-fi");
		assertThat(((Shelf) readShelf).getBooks()).containsExactly(book, book);
	}

	@Test
	void storesNullAsAPresentEntry() {
		store.put(this.cache, "nothing", null);

		CacheEntry entry = store.getEntry(this.cache, "nothing");
		assertThat(entry).isNotNull();
		assertThat(entry.value()).isNull();
		assertThat(store.containsKey(this.cache, "nothing")).isTrue();
		assertThat(store.getEntry(this.cache, "never-written")).isNull();
	}

	@Test
	void entryExpiresAfterItsTimeToLive() {
		store.put(this.cache, "k", "v", Duration.ofSeconds(10), null);

		clock.advance(Duration.ofSeconds(9));
		CacheEntry entry = store.getEntry(this.cache, "k");
		assertThat(entry.value()).isEqualTo("v");
		assertThat(entry.expiresAt()).isEqualTo(entry.createdAt().plusSeconds(10));
		assertThat(entry.timeToLive()).isEqualTo(Duration.ofSeconds(10));
		assertThat(entry.timeToIdle()).isNull();

		clock.advance(Duration.ofSeconds(1));
		assertThat(store.get(this.cache, "k")).isNull();
		assertThat(store.containsKey(this.cache, "k")).isFalse();
		assertThat(store.keys(this.cache)).isEmpty();
		assertThat(store.count(this.cache)).isZero();
	}

	@Test
	void putKeepingCreationTimeKeepsTheFirstWriteTimeAndReplacesEverythingElse() {
		store.putKeepingCreationTime(this.cache, "k", "first", Duration.ofSeconds(100), Duration.ofSeconds(30));
		Instant first = store.getEntry(this.cache, "k").createdAt();
		clock.advance(Duration.ofSeconds(5));

		store.putKeepingCreationTime(this.cache, "k", "second", null, null);

		CacheEntry entry = store.getEntry(this.cache, "k");
		assertThat(entry.value()).isEqualTo("second");
		assertThat(entry.firstCreatedAt()).isEqualTo(first);
		assertThat(entry.createdAt()).isEqualTo(first.plusSeconds(5));
		assertThat(entry.expiresAt()).isNull();
		assertThat(entry.timeToLive()).isNull();
		assertThat(entry.timeToIdle()).isNull();
		clock.advance(Duration.ofDays(1));
		assertThat(store.get(this.cache, "k")).isEqualTo("second");
	}

	@Test
	void putKeepingCreationTimeStartsAgainAfterExpiryAndAfterAPlainPut() {
		store.putKeepingCreationTime(this.cache, "expired", "old", Duration.ofSeconds(10), null);
		store.put(this.cache, "plain", "old");
		clock.advance(Duration.ofSeconds(11));

		store.putKeepingCreationTime(this.cache, "expired", "new", null, null);
		store.putKeepingCreationTime(this.cache, "plain", "new", null, null);
		store.put(this.cache, "plain", "newer");

		CacheEntry expired = store.getEntry(this.cache, "expired");
		assertThat(expired.value()).isEqualTo("new");
		assertThat(expired.firstCreatedAt()).isEqualTo(expired.createdAt()).isEqualTo(Instant.ofEpochMilli(clock.millis()));
		CacheEntry plain = store.getEntry(this.cache, "plain");
		assertThat(plain.value()).isEqualTo("newer");
		assertThat(plain.firstCreatedAt()).isEqualTo(plain.createdAt());
	}

	@Test
	void putKeepingCreationTimeTakesTheCreationTimeOfAnEntryWrittenByPut() {
		store.put(this.cache, "k", "old");
		Instant written = store.getEntry(this.cache, "k").createdAt();
		clock.advance(Duration.ofSeconds(3));

		store.putKeepingCreationTime(this.cache, "k", "new", null, null);

		assertThat(store.getEntry(this.cache, "k").firstCreatedAt()).isEqualTo(written);
	}

	@Test
	void idleExpirySlidesWithEveryReadButNotPastTheTimeToLive() {
		store.put(this.cache, "session", "token", Duration.ofSeconds(100), Duration.ofSeconds(30));

		for (int i = 0; i < 3; i++) {
			clock.advance(Duration.ofSeconds(20));
			assertThat(store.get(this.cache, "session")).as("read after %d s", (i + 1) * 20).isEqualTo("token");
		}
		clock.advance(Duration.ofSeconds(29));
		CacheEntry entry = store.getEntry(this.cache, "session");
		assertThat(entry.value()).isEqualTo("token");
		assertThat(entry.timeToIdle()).isEqualTo(Duration.ofSeconds(30));
		assertThat(entry.timeToLive()).isEqualTo(Duration.ofSeconds(100));
		// 89 s in: sliding would give 119 s, the time to live caps it at 100 s.
		assertThat(entry.expiresAt()).isEqualTo(entry.createdAt().plusSeconds(100));

		clock.advance(Duration.ofSeconds(11));
		assertThat(store.get(this.cache, "session")).isNull();
	}

	@Test
	void readsThatGainLittleIdleTimeDoNotWrite() {
		store.put(this.cache, "hot", "v", null, Duration.ofSeconds(100));
		clock.advance(Duration.ofSeconds(50));
		Instant slid = store.getEntry(this.cache, "hot").expiresAt();
		assertThat(slid).isEqualTo(Instant.ofEpochMilli(clock.millis()).plusSeconds(100));

		clock.advance(Duration.ofSeconds(4));
		assertThat(store.getEntry(this.cache, "hot").expiresAt()).as("a 4 s gain is under 1/20 of 100 s").isEqualTo(slid);

		clock.advance(Duration.ofSeconds(2));
		assertThat(store.getEntry(this.cache, "hot").expiresAt()).isEqualTo(Instant.ofEpochMilli(clock.millis()).plusSeconds(100));
	}

	@Test
	void idleEntryExpiresWhenNotRead() {
		store.put(this.cache, "k", "v", null, Duration.ofSeconds(30));
		clock.advance(Duration.ofSeconds(29));
		assertThat(store.containsKey(this.cache, "k")).isTrue();
		// containsKey is not a read: the deadline did not move.
		clock.advance(Duration.ofSeconds(1));
		assertThat(store.get(this.cache, "k")).isNull();
	}

	@Test
	void rePutWithoutExpiryClearsThePreviousExpiry() {
		store.put(this.cache, "k", "first", Duration.ofSeconds(5), Duration.ofSeconds(2));
		store.put(this.cache, "k", "second");

		clock.advance(Duration.ofDays(30));

		CacheEntry entry = store.getEntry(this.cache, "k");
		assertThat(entry.value()).isEqualTo("second");
		assertThat(entry.expiresAt()).isNull();
		assertThat(entry.timeToIdle()).isNull();
	}

	@Test
	void putIfAbsentStoresOnlyWhenNoLiveEntryExists() {
		assertThat(store.putIfAbsent(this.cache, "k", "first", Duration.ofSeconds(10), null)).isNull();

		CacheEntry existing = store.putIfAbsent(this.cache, "k", "second", null, null);
		assertThat(existing.value()).isEqualTo("first");
		assertThat(store.get(this.cache, "k")).isEqualTo("first");

		clock.advance(Duration.ofSeconds(10));
		assertThat(store.putIfAbsent(this.cache, "k", "third", null, null)).as("expired counts as absent").isNull();
		assertThat(store.get(this.cache, "k")).isEqualTo("third");
	}

	@Test
	void putIfAbsentRacingFromSixteenThreadsHasExactlyOneWinner() throws Exception {
		int threads = 16;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<CacheEntry>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				String value = "writer-" + i;
				results.add(executor.submit(() -> {
					start.await();
					return store.putIfAbsent(this.cache, "contended", value, null, null);
				}));
			}
			start.countDown();
			List<CacheEntry> outcomes = new ArrayList<>();
			for (Future<CacheEntry> result : results) {
				outcomes.add(result.get(30, TimeUnit.SECONDS));
			}

			assertThat(outcomes).filteredOn((outcome) -> outcome == null).hasSize(1);
			Object winner = store.get(this.cache, "contended");
			assertThat(outcomes).filteredOn((outcome) -> outcome != null)
				.hasSize(threads - 1)
				.allSatisfy((loser) -> assertThat(loser.value()).isEqualTo(winner));
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void putAllAndGetAllHandle250Keys() {
		Map<String, Object> entries = new LinkedHashMap<>();
		IntStream.range(0, 250).forEach((i) -> entries.put("key-" + i, "value-" + i));

		store.putAll(this.cache, entries, Duration.ofMinutes(5), null);

		List<String> requested = new ArrayList<>(entries.keySet());
		requested.add("missing-1");
		requested.add("missing-2");
		Map<String, CacheEntry> read = store.getAll(this.cache, requested);
		assertThat(read).hasSize(250);
		assertThat(read.keySet()).containsExactlyElementsOf(entries.keySet());
		read.forEach((key, entry) -> assertThat(entry.value()).isEqualTo(entries.get(key)));
		assertThat(store.count(this.cache)).isEqualTo(250);
		assertThat(store.keys(this.cache)).containsExactlyInAnyOrderElementsOf(entries.keySet());
	}

	@Test
	void clearOfOneCacheLeavesOtherCachesUntouched() {
		String other = this.cache + "-other";
		Map<String, Object> entries = new LinkedHashMap<>();
		IntStream.range(0, 60).forEach((i) -> entries.put("key-" + i, i));
		store.putAll(this.cache, entries, null, null);
		store.putAll(other, entries, null, null);

		assertThat(store.clear(this.cache)).isEqualTo(60);

		assertThat(store.count(this.cache)).isZero();
		assertThat(store.get(this.cache, "key-1")).isNull();
		assertThat(store.count(other)).isEqualTo(60);
		assertThat(store.get(other, "key-1")).isEqualTo(1);
	}

	@Test
	void clearWithFilterRemovesOnlyMatchingKeysAndCountsLiveOnes() {
		store.put(this.cache, "user_session_1", "a");
		store.put(this.cache, "user_session_2", "b");
		store.put(this.cache, "user_session_3", "c", Duration.ofSeconds(1), null);
		store.put(this.cache, "config", "d");
		clock.advance(Duration.ofSeconds(2));

		int removed = store.clear(this.cache, (key) -> key.startsWith("user_session_"));

		assertThat(removed).isEqualTo(2);
		assertThat(store.keys(this.cache)).containsExactly("config");
		assertThat(store.keys(this.cache, (key) -> key.startsWith("user"))).isEmpty();
	}

	@Test
	void keysTooLongForASortKeyAreDigestedAndKeptIntact() {
		String longKey = "k".repeat(3000);
		String unicodeKey = "€".repeat(400); // 1200 bytes in UTF-8
		store.put(this.cache, longKey, "long");
		store.put(this.cache, unicodeKey, "unicode");
		store.put(this.cache, "", "empty");

		assertThat(store.get(this.cache, longKey)).isEqualTo("long");
		assertThat(store.get(this.cache, unicodeKey)).isEqualTo("unicode");
		assertThat(store.get(this.cache, "")).isEqualTo("empty");
		assertThat(store.get(this.cache, longKey + "x")).isNull();
		assertThat(store.keys(this.cache)).containsExactlyInAnyOrder(longKey, unicodeKey, "");
		assertThat(store.putIfAbsent(this.cache, longKey, "other", null, null).value()).isEqualTo("long");
		assertThat(store.deleteIfPresent(this.cache, longKey)).isTrue();
		assertThat(store.get(this.cache, longKey)).isNull();
	}

	@Test
	void aLiteralKeyThatEqualsADigestNeverReturnsTheOtherKeysValue() {
		String longKey = "x".repeat(2000);
		store.put(this.cache, longKey, "long");
		String digest = ItemLayout.sortKey(longKey);

		assertThat(store.get(this.cache, digest)).isNull();
		assertThat(store.deleteIfPresent(this.cache, digest)).isFalse();
		assertThat(store.get(this.cache, longKey)).isEqualTo("long");
	}

	@Test
	void valueOverTheItemLimitIsStoredInChunksAndReadBack() {
		byte[] incompressible = new byte[500 * 1024];
		new Random(42).nextBytes(incompressible);

		store.put(this.cache, "big", incompressible);

		assertThat(store.get(this.cache, "big")).isEqualTo(incompressible);
		assertThat(store.getEntry(this.cache, "big").storedSize()).isGreaterThan(DynamoDbCacheStore.MAX_ITEM_BYTES);
	}

	@Test
	void largeCompressibleValueIsCompressedBelowTheLimit() {
		String text = "All work and no play makes Jack a dull boy. ".repeat(20_000); // ~880 KB

		store.put(this.cache, "text", text);

		CacheEntry entry = store.getEntry(this.cache, "text");
		assertThat(entry.value()).isEqualTo(text);
		assertThat(entry.storedSize()).isLessThan(50_000);
	}

	@Test
	void corruptedStoredBytesAreAMissAndTheEntryIsEvicted() {
		store.put(this.cache, "k", "v");
		var key = Map.of("pk", AttributeValue.fromS(new ItemLayout(DynamoDbCacheStore.DEFAULT_SHARDS).partitionKey(this.cache, "k")),
				"sk", AttributeValue.fromS("k"));
		client.updateItem((request) -> request.tableName(table)
			.key(key)
			.updateExpression("SET val = :garbage")
			.expressionAttributeValues(
					Map.of(":garbage", AttributeValue.fromB(SdkBytes.fromUtf8String("{not json")))));

		assertThat(store.get(this.cache, "k")).isNull();
		assertThat(client.getItem((request) -> request.tableName(table).key(key).consistentRead(true)).hasItem())
			.isFalse();
	}

	@Test
	void storedTypeOutsideTheAllowListIsAMissNotAnInstance() {
		store.put(this.cache, "k", "v");
		var key = Map.of("pk", AttributeValue.fromS(new ItemLayout(DynamoDbCacheStore.DEFAULT_SHARDS).partitionKey(this.cache, "k")),
				"sk", AttributeValue.fromS("k"));
		String hostile = "{\"@class\":\"io.dynamodbcache.forbidden.Gadget\",\"command\":\"rm -rf /\"}";
		client.updateItem((request) -> request.tableName(table)
			.key(key)
			.updateExpression("SET val = :hostile")
			.expressionAttributeValues(Map.of(":hostile", AttributeValue.fromB(SdkBytes.fromUtf8String(hostile)))));

		assertThat(store.get(this.cache, "k")).isNull();
	}

	@Test
	void valueOfATypeOutsideTheAllowListIsRefusedOnWrite() {
		DynamoDbCacheStore strict = DynamoDbCacheStore.builder(client).tableName(table).build();

		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> strict.put(this.cache, "k", new Author("Ursula", "Le Guin")))
			.withMessageContaining("io.dynamodbcache.core.Author")
			.withMessageContaining("allowPackages(\"io.dynamodbcache.core\")");
		assertThat(strict.containsKey(this.cache, "k")).isFalse();
	}

	@Test
	void deleteIfValueRemovesTheEntryOnlyWhenItHoldsThatValue() {
		store.put(this.cache, "lock", "token-1");

		assertThat(store.deleteIfValue(this.cache, "lock", "token-2")).isFalse();
		assertThat(store.get(this.cache, "lock")).isEqualTo("token-1");
		assertThat(store.deleteIfValue(this.cache, "lock", "token-1")).isTrue();
		assertThat(store.containsKey(this.cache, "lock")).isFalse();
		assertThat(store.deleteIfValue(this.cache, "lock", "token-1")).isFalse();
	}

	@Test
	void anExpiredLockHolderCannotReleaseTheNextHoldersLock() {
		assertThat(store.putIfAbsent(this.cache, "lock", "holder-a", Duration.ofSeconds(10), null)).isNull();
		clock.advance(Duration.ofSeconds(10));
		assertThat(store.putIfAbsent(this.cache, "lock", "holder-b", Duration.ofSeconds(10), null)).isNull();

		assertThat(store.deleteIfValue(this.cache, "lock", "holder-a")).isFalse();
		assertThat(store.get(this.cache, "lock")).isEqualTo("holder-b");
	}

	@Test
	void deleteIfValueComparesLongKeysByTheirOriginalKey() {
		String longKey = "k".repeat(2000);
		store.put(this.cache, longKey, "token");

		assertThat(store.deleteIfValue(this.cache, longKey, "token")).isTrue();
		assertThat(store.containsKey(this.cache, longKey)).isFalse();
	}

	@Test
	void deleteIfPresentTellsWhetherALiveEntryWasRemoved() {
		store.put(this.cache, "k", "v");
		store.put(this.cache, "expiring", "v", Duration.ofSeconds(1), null);
		clock.advance(Duration.ofSeconds(1));

		assertThat(store.deleteIfPresent(this.cache, "k")).isTrue();
		assertThat(store.deleteIfPresent(this.cache, "k")).isFalse();
		assertThat(store.deleteIfPresent(this.cache, "expiring")).isFalse();
		assertThat(store.containsKey(this.cache, "k")).isFalse();
	}

	@Test
	void invalidArgumentsAreRejectedWithMessagesThatSayWhatToFix() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> store.put(this.cache, "k", "v", Duration.ofSeconds(-1), null))
			.withMessageContaining("Duration.ZERO for no expiry");
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> store.get(this.cache, null))
			.withMessage("Cache key must not be null");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> DynamoDbCacheStore.builder(client).tableName("a b"))
			.withMessageContaining("3 to 255 characters");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> DynamoDbCacheStore.builder(client).shards(0));
	}

	@Test
	void sameKeysInDifferentCachesAreIndependent() {
		String other = this.cache + "-b";
		store.put(this.cache, "k", "a");
		store.put(other, "k", "b");

		assertThat(store.get(this.cache, "k")).isEqualTo("a");
		assertThat(store.get(other, "k")).isEqualTo("b");
		assertThat(store.keys(this.cache).stream().collect(Collectors.toSet())).containsExactly("k");
	}

	@Test
	void incrementIsAtomicUnderConcurrencyAndResetsAfterItsWindow() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<Long>> results = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				results.add(executor.submit(() -> store.increment(this.cache, "client-1", 1, Duration.ofMinutes(1))));
			}
			List<Long> values = new ArrayList<>();
			for (Future<Long> result : results) {
				values.add(result.get(30, TimeUnit.SECONDS));
			}
			assertThat(values).containsExactlyInAnyOrderElementsOf(
					IntStream.rangeClosed(1, 40).mapToObj(Long::valueOf).toList());
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(store.get(this.cache, "client-1")).isEqualTo(40L);

		clock.advance(Duration.ofMinutes(1));
		assertThat(store.get(this.cache, "client-1")).isNull();
		assertThat(store.increment(this.cache, "client-1", 5, Duration.ofMinutes(1))).isEqualTo(5);
	}

	@Test
	void incrementRefusesAValueThatIsNotACounterAndKeepsIt() {
		store.put(this.cache, "k", "text");

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> store.increment(this.cache, "k", 2, null))
			.withMessageContaining("not a counter");
		assertThat(store.get(this.cache, "k")).isEqualTo("text");
	}

	@Test
	void incrementReplacesAnExpiredValueThatIsNotACounter() {
		store.put(this.cache, "k", "text", Duration.ofSeconds(10), null);
		clock.advance(Duration.ofSeconds(11));

		assertThat(store.increment(this.cache, "k", 2, null)).isEqualTo(2);
		assertThat(store.getEntry(this.cache, "k").expiresAt()).isNull();
	}

}
