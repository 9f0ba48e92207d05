package io.dynamodbcache.core;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.FaultProxy;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Values over DynamoDB's 400 KB item limit, stored as a head item and chunks: read back byte for byte, replaced
 * atomically, counted as one entry, cleaned up, and costing one request more than a single item, while values
 * that fit in one item make exactly the requests they always made.
 */
@DynamoDbLocalTest
class ChunkedValueTests {

	/** Over one item even deflated: random bytes do not compress. */
	private static final int LARGE = 900 * 1024;

	private final List<String> operations = new CopyOnWriteArrayList<>();

	/** Requests that failed other than by a condition that did not hold: timeouts, throttles, a refusing breaker. */
	private final AtomicLong failedRequests = new AtomicLong();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private DynamoDbClient client;

	private String table;

	private DynamoDbCacheStore store;

	private String cache;

	/**
	 * DynamoDB Local's first requests of large items in a JVM can take longer than a call's 900 ms budget while
	 * its code is loaded and compiled: warm it up with the SDK, without a budget.
	 */
	@BeforeAll
	static void warmUpDynamoDbLocal(DynamoDbClient client) {
		String table = "warm-up-" + UUID.randomUUID();
		client.createTable((request) -> request.tableName(table)
			.keySchema((key) -> key.attributeName("pk").keyType(KeyType.HASH))
			.attributeDefinitions((attribute) -> attribute.attributeName("pk").attributeType(ScalarAttributeType.S))
			.billingMode(BillingMode.PAY_PER_REQUEST));
		for (int i = 0; i < 5; i++) {
			Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("k" + i), "val",
					AttributeValue.fromB(SdkBytes.fromByteArray(random(380 * 1024, i))));
			client.batchWriteItem((request) -> request.requestItems(Map.of(table,
					List.of(WriteRequest.builder().putRequest((put) -> put.item(item)).build()))));
			client.getItem((request) -> request.tableName(table).key(Map.of("pk", item.get("pk"))));
		}
		client.deleteTable((request) -> request.tableName(table));
	}

	@BeforeEach
	void createStore(DynamoDbClient client, UniqueTableName table) {
		this.client = client;
		this.table = table.value();
		this.store = store(client);
		this.store.ensureTable();
		this.cache = "cache-" + UUID.randomUUID();
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private DynamoDbCacheStore store(DynamoDbClient client) {
		return DynamoDbCacheStore.builder(client)
			.tableName(this.table)
			.codec(new BytesCodec())
			.maxValueSize(8 * 1024 * 1024)
			.requestListener((operation, duration, failure) -> {
				this.operations.add(operation);
				if (failure != null && !(failure instanceof ConditionalCheckFailedException)) {
					this.failedRequests.incrementAndGet();
				}
			})
			.build();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 1000, 300 * 1024, 399 * 1024, 400 * 1024, 401 * 1024, 760 * 1024, 760 * 1024 + 1,
			1536 * 1024, 3 * 1024 * 1024 })
	void valuesOfEverySizeUpTo3MbReadBackByteForByteCompressibleOrNot(int size) {
		byte[] random = random(size, size);
		byte[] compressible = random(size, -size);
		for (int i = 0; i < size; i++) {
			// Four bits of sixteen letters a byte: deflates to a little over half.
			compressible[i] = (byte) ('a' + (compressible[i] & 0xF));
		}

		this.store.put(this.cache, "random", random);
		this.store.put(this.cache, "compressible", compressible);

		assertThat((byte[]) this.store.get(this.cache, "random")).isEqualTo(random);
		assertThat((byte[]) this.store.get(this.cache, "compressible")).isEqualTo(compressible);
		assertThat(this.store.count(this.cache)).isEqualTo(2);
		assertThat(this.store.keys(this.cache)).containsExactlyInAnyOrder("random", "compressible");
		assertThat(this.store.getAll(this.cache, List.of("random", "compressible", "none")))
			.containsOnlyKeys("random", "compressible")
			.satisfies((all) -> assertThat((byte[]) all.get("random").value()).isEqualTo(random))
			.satisfies((all) -> assertThat((byte[]) all.get("compressible").value()).isEqualTo(compressible));
		assertThat(ChunkedValues.isChunkedHead(head("random"))).as("chunked").isEqualTo(size >= 400 * 1024);
		assertThat(ChunkedValues.isChunkedHead(head("compressible"))).as("compressible chunked")
			.isEqualTo(Compression.deflate(compressible).length > 400 * 1024);
		if (size == 3 * 1024 * 1024) {
			assertThat(head("compressible").get(ItemLayout.PART_FORMAT).n()).as("deflated")
				.isEqualTo(Integer.toString(ItemLayout.FORMAT_DEFLATED));
		}
		assertThat(chunkItems()).hasSize(chunkItemsOf(head("random")) + chunkItemsOf(head("compressible")));
	}

	@Test
	void anAsynchronousReadAndWriteAndANearCachedStoreReadChunkedValuesWholeAndNeverCopyThem() {
		byte[] large = random(LARGE, 19);
		DynamoDbCacheStore near = this.store.withNearCache(new NearCacheSettings(100, Duration.ofMinutes(5)));

		this.store.putAsync(this.cache, "k", large, null, null).join();
		assertThat((byte[]) this.store.getEntryAsync(this.cache, "k").join().value()).isEqualTo(large);
		assertThat((byte[]) near.get(this.cache, "k")).isEqualTo(large);
		this.operations.clear();
		assertThat((byte[]) near.get(this.cache, "k")).isEqualTo(large);

		assertThat(this.operations).as("a second read of the near-cached store").containsExactly("GetItem",
				"BatchGetItem");
	}

	@Test
	void aValueThatFitsInOneItemMakesExactlyTheRequestsItAlwaysMade() {
		byte[] fits = random(390 * 1024, 1);
		this.store.put(this.cache, "k", "warm-up".getBytes());
		this.operations.clear();

		this.store.put(this.cache, "k", fits);
		this.store.get(this.cache, "k");
		this.store.putAsync(this.cache, "k", fits, null, null).join();
		this.store.putKeepingCreationTime(this.cache, "k", fits, null, null);
		this.store.putIfAbsent(this.cache, "other", fits, null, null);
		this.store.deleteIfPresent(this.cache, "k");
		// A miss is one read: reading the head again is for chunks that a replacement deleted, not for no item.
		this.store.get(this.cache, "k");
		this.store.getEntryAsync(this.cache, "k").join();

		assertThat(this.operations).containsExactly("PutItem", "GetItem", "PutItem", "UpdateItem", "PutItem",
				"DeleteItem", "GetItem", "GetItem");
	}

	@Test
	void aChunkedHitIsOneRequestMoreThanASingleItemHitAndAWriteTwo() {
		byte[] large = random(LARGE, 2);
		this.operations.clear();

		this.store.put(this.cache, "k", large);
		List<String> write = List.copyOf(this.operations);
		this.operations.clear();
		this.store.get(this.cache, "k");

		assertThat(write).containsExactly("BatchWriteItem", "PutItem");
		assertThat(this.operations).containsExactly("GetItem", "BatchGetItem");
	}

	@Test
	void aChunkedValueCostsTheCapacityOfItsBytesPlusItsHead(DynamoDbLocal local) {
		CapacityCounter capacity = new CapacityCounter();
		DynamoDbClient counted = DynamoDbClient.builder()
			.endpointOverride(local.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create("local", "local")))
			.overrideConfiguration((override) -> override.addExecutionInterceptor(capacity))
			.build();
		this.closeables.add(counted);
		DynamoDbCacheStore store = store(counted);
		byte[] megabyte = random(1024 * 1024, 14);

		store.put(this.cache, "k", megabyte);
		double written = capacity.takeUnits();
		store.get(this.cache, "k");
		double read = capacity.takeUnits();

		// 1 MB in chunks of 380, 380 and 264 KB (a few bytes over each, for the chunk's keys), plus a head of 1 KB.
		assertThat(written).as("write capacity units").isEqualTo(381 + 381 + 265 + 1);
		// Eventually consistent: half a unit per started 4 KB, for each chunk and the head.
		assertThat(read).as("read capacity units").isEqualTo(0.5 * (96 + 96 + 67) + 0.5);

		// DynamoDB bills a delete by the size of the item: deleting the chunks costs about what writing them did.
		store.put(this.cache, "k", random(1024 * 1024, 15));
		// The write whose condition fails costs DynamoDB 1 unit (the head's size); DynamoDB Local bills nothing.
		assertThat(capacity.takeUnits()).as("replacing a value with no expiry: its chunks are deleted")
			.isBetween(written + 1027, written + 1027 + 1);
		store.delete(this.cache, "k");
		assertThat(capacity.takeUnits()).as("evicting it").isEqualTo(1 + 1027);
		// Chunks whose TTL is near are left to it, which deletes them for free.
		store.put(this.cache, "soon", megabyte, Duration.ofMinutes(5), null);
		capacity.takeUnits();
		store.put(this.cache, "soon", random(1024 * 1024, 16), Duration.ofMinutes(5), null);
		assertThat(capacity.takeUnits()).as("replacing a value that expires in 5 minutes")
			.isBetween(written, written + 1);
		store.delete(this.cache, "soon");
		assertThat(capacity.takeUnits()).as("evicting it").isEqualTo(1);
	}

	@Test
	void replacingEvictingAndClearingLeaveNoChunkBehind() {
		byte[] first = random(LARGE, 3);
		byte[] second = random(LARGE + 1000, 4);

		this.store.put(this.cache, "k", first);
		this.store.put(this.cache, "k", second);
		assertThat((byte[]) this.store.get(this.cache, "k")).isEqualTo(second);
		assertThat(chunkItems()).as("chunks after a chunked value replaced a chunked one").hasSize(3);

		this.store.put(this.cache, "k", "small".getBytes());
		assertThat(chunkItems()).as("after a small value replaced it").isEmpty();

		this.store.put(this.cache, "k", first);
		this.store.putAsync(this.cache, "k", "small".getBytes(), null, null).join();
		assertThat(chunkItems()).as("after an asynchronous write replaced it").isEmpty();

		this.store.put(this.cache, "k", first);
		this.store.putKeepingCreationTime(this.cache, "k", second, null, null);
		assertThat((byte[]) this.store.get(this.cache, "k")).isEqualTo(second);
		assertThat(chunkItems()).as("after a write keeping the creation time").hasSize(3);

		assertThat(this.store.deleteIfPresent(this.cache, "k")).isTrue();
		assertThat(chunkItems()).as("after an eviction").isEmpty();

		this.store.put(this.cache, "k", first);
		assertThat(this.store.deleteIfValue(this.cache, "k", second)).isFalse();
		assertThat(this.store.deleteIfValue(this.cache, "k", first)).isTrue();
		assertThat(chunkItems()).as("after a conditional eviction").isEmpty();

		this.store.put(this.cache, "a", first);
		this.store.put(this.cache, "b", second);
		this.store.put(this.cache, "c", "small".getBytes());
		assertThat(this.store.clear(this.cache, "a"::equals)).isEqualTo(1);
		assertThat(chunkItems()).as("after clearing one of two chunked values").hasSize(3);
		assertThat(this.store.clear(this.cache)).isEqualTo(2);
		assertThat(chunkItems()).as("after a clear").isEmpty();
	}

	@Test
	void chunksThatExpireWithin30DaysAreLeftToTheirTimeToLiveAndLaterOnesAreDeleted() {
		this.store.put(this.cache, "soon", random(LARGE, 17), Duration.ofDays(30).minusMinutes(1), null);
		this.store.put(this.cache, "later", random(LARGE, 18), Duration.ofDays(31), null);

		this.store.put(this.cache, "soon", "small".getBytes());
		this.store.delete(this.cache, "later");

		assertThat(chunkItems()).as("the replaced value's chunks, each with its TTL")
			.hasSize(3)
			.allSatisfy((chunk) -> assertThat(chunk).containsKey(ItemLayout.EXPIRES_AT));
		assertThat(this.store.count(this.cache)).isEqualTo(1);
	}

	@Test
	void putIfAbsentOfAChunkedValueKeepsTheEntryInTheWayAndLeavesNoChunk() {
		byte[] first = random(LARGE, 5);

		assertThat(this.store.putIfAbsent(this.cache, "k", first, null, null)).isNull();
		CacheEntry existing = this.store.putIfAbsent(this.cache, "k", random(LARGE, 6), null, null);

		assertThat((byte[]) existing.value()).isEqualTo(first);
		assertThat((byte[]) this.store.get(this.cache, "k")).isEqualTo(first);
		assertThat(chunkItems()).hasSize(3);
	}

	@Test
	void chunksCarryTheValuesDeadlineAsTheirTimeToLive() {
		long before = System.currentTimeMillis();
		this.store.put(this.cache, "k", random(LARGE, 7), Duration.ofMinutes(5), null);

		assertThat(chunkItems()).hasSize(3).allSatisfy((chunk) -> assertThat(
				Long.parseLong(chunk.get(ItemLayout.EXPIRES_AT).n()))
			.isBetween(before / 1000 + 300, System.currentTimeMillis() / 1000 + 301));
	}

	@Test
	void aChunkedValueWithOnlyATimeToIdleGetsADeadlineOf24IdlePeriodsSoThatItsChunksExpire() {
		long before = System.currentTimeMillis();
		this.store.put(this.cache, "k", random(LARGE, 15), null, Duration.ofHours(2));
		this.store.put(this.cache, "small", "small".getBytes(), null, Duration.ofHours(2));

		assertThat(this.store.getEntry(this.cache, "k").timeToLive()).isEqualTo(Duration.ofHours(48));
		assertThat(this.store.getEntry(this.cache, "small").timeToLive()).as("a value in one item slides freely")
			.isNull();
		assertThat(chunkItems()).hasSize(3).allSatisfy((chunk) -> assertThat(
				Long.parseLong(chunk.get(ItemLayout.EXPIRES_AT).n()))
			.isBetween(before / 1000 + 48 * 3600, System.currentTimeMillis() / 1000 + 48 * 3600 + 1));
	}

	@Test
	void aCorruptedChunkIsAMissAndItsEntryIsEvictedOnce() {
		this.store.put(this.cache, "k", random(LARGE, 8));
		Map<String, AttributeValue> chunk = chunkItems().get(0);
		byte[] bytes = chunk.get(ItemLayout.VALUE).b().asByteArray();
		bytes[bytes.length / 2] ^= 1;
		this.client.putItem((request) -> request.tableName(this.table)
			.item(with(chunk, ItemLayout.VALUE, AttributeValue.fromB(SdkBytes.fromByteArray(bytes)))));
		this.operations.clear();

		assertThat(this.store.get(this.cache, "k")).isNull();
		assertThat(this.operations).containsOnlyOnce("DeleteItem");
		assertThat(this.store.containsKey(this.cache, "k")).isFalse();
		assertThat(chunkItems()).as("the evicted entry's chunks").isEmpty();
	}

	@Test
	void aMissingChunkOrAHeadThatLiesAboutItsSizeIsAMiss() {
		this.store.put(this.cache, "missing", random(LARGE, 9));
		Map<String, AttributeValue> chunk = chunkItems().get(1);
		this.client.deleteItem((request) -> request.tableName(this.table)
			.key(Map.of(ItemLayout.PARTITION_KEY, chunk.get(ItemLayout.PARTITION_KEY), ItemLayout.SORT_KEY,
					chunk.get(ItemLayout.SORT_KEY))));
		this.store.put(this.cache, "huge", random(LARGE, 10));
		Map<String, AttributeValue> head = head("huge");
		this.client.putItem((request) -> request.tableName(this.table)
			.item(with(head, ItemLayout.STORED_SIZE, AttributeValue.fromN(Long.toString(Integer.MAX_VALUE - 100)))));

		assertThat(this.store.get(this.cache, "missing")).isNull();
		assertThat(this.store.get(this.cache, "huge")).isNull();
		assertThat(this.store.count(this.cache)).isZero();
	}

	@Test
	void aValueOverTheMaximumValueSizeIsStillRefusedNamingTheSetting() {
		assertThatExceptionOfType(CacheValueTooLargeException.class)
			.isThrownBy(() -> this.store.put(this.cache, "k", new byte[8 * 1024 * 1024 + 1]))
			.withMessageContaining("maximum value size of 8388608 bytes")
			.withMessageContaining("dynamodb.cache.max-value-size");
		assertThat(chunkItems()).isEmpty();
	}

	@Test
	void aKeyThatFillsAnItemByItselfIsRefusedBeforeAnyRequestAndLeavesNoChunk() {
		String key = "k".repeat(500 * 1024);
		this.operations.clear();

		assertThatExceptionOfType(CacheValueTooLargeException.class)
			.isThrownBy(() -> this.store.put(this.cache, key, new byte[10]))
			.withMessageContaining("use a shorter key");
		assertThat(this.operations).isEmpty();
		assertThat(chunkItems()).isEmpty();
	}

	@Test
	void aReadWhoseChunksAReplacementDeletedAfterItReadTheHeadReadsTheNewValue() {
		byte[] old = value(1, 1);
		byte[] replacement = value(2, 2);
		this.store.put(this.cache, "k", old);
		AtomicBoolean replaceAfterTheHeadIsRead = new AtomicBoolean(true);
		// The replacement (no time-to-live, so its old chunks are deleted at once) lands between the reader's
		// GetItem of the head and its BatchGetItem of the chunks the head names.
		DynamoDbCacheStore reader = DynamoDbCacheStore.builder(this.client)
			.tableName(this.table)
			.codec(new BytesCodec())
			.maxValueSize(8 * 1024 * 1024)
			.requestListener((operation, duration, failure) -> {
				if (operation.equals("GetItem") && replaceAfterTheHeadIsRead.compareAndSet(true, false)) {
					this.store.put(this.cache, "k", replacement);
				}
			})
			.build();

		assertThat(sha256((byte[]) reader.get(this.cache, "k"))).isEqualTo(sha256(replacement));
		assertThat(replaceAfterTheHeadIsRead).isFalse();
		assertThat(sha256((byte[]) this.store.get(this.cache, "k"))).as("not evicted").isEqualTo(sha256(replacement));
	}

	@Test
	void readersSeeTheWholeOldValueOrTheWholeNewOneWhileWritersReplaceIt() throws Exception {
		Duration duration = Duration.ofSeconds(Long.getLong("chunked.concurrency.seconds", 6));
		Set<String> written = ConcurrentHashMap.newKeySet();
		byte[] initial = value(0, 0);
		written.add(sha256(initial));
		this.store.put(this.cache, "k", initial);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong reads = new AtomicLong();
		AtomicLong hits = new AtomicLong();
		AtomicLong writes = new AtomicLong();
		List<String> foreign = new CopyOnWriteArrayList<>();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int n = 0; n < 8; n++) {
			int writer = n + 1;
			threads.add(new Thread(() -> {
				for (int sequence = 1; running.get(); sequence++) {
					byte[] value = value(writer, sequence);
					written.add(sha256(value));
					run(failures, () -> this.store.put(this.cache, "k", value));
					writes.incrementAndGet();
				}
			}));
			threads.add(new Thread(() -> {
				while (running.get()) {
					run(failures, () -> {
						byte[] value = (byte[]) this.store.get(this.cache, "k");
						reads.incrementAndGet();
						if (value != null) {
							hits.incrementAndGet();
							if (!written.contains(sha256(value))) {
								foreign.add(value.length + " bytes");
							}
						}
					});
				}
			}));
		}
		threads.forEach(Thread::start);
		Thread.sleep(duration.toMillis());
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}

		int leftBehind = chunkItems().size() - chunkItemsOf(head("k"));
		System.out.printf(
				"Chunked replacement for %d s: %d writes, %d reads, %d hits, %d foreign, %d failed calls, %d failed "
						+ "requests, %d chunks left behind%n",
				duration.toSeconds(), writes.get(), reads.get(), hits.get(), foreign.size(), failures.size(),
				this.failedRequests.get(), leftBehind);
		assertThat(foreign).as("values read that no writer wrote").isEmpty();
		// 16 threads moving megabytes through DynamoDB Local on two cores: some calls run out of their budget,
		// and then the breaker may refuse some.
		assertThat(failures).as("failures other than the store's own")
			.allSatisfy((failure) -> assertThat(failure).isInstanceOf(DynamoDbCacheException.class));
		assertThat(writes.get()).isGreaterThan(8);
		assertThat(hits.get()).as("hits of %d reads", reads.get()).isGreaterThan(reads.get() / 4);
		// A write whose attempt DynamoDB made but whose answer timed out is sent again, and cannot tell what the
		// first attempt replaced; a write that fails between its chunks and its head, or a deletion of replaced
		// chunks that fails, leaves at most one value's chunks (three). Those are left to their time-to-live.
		// Nothing else is left: a store that did not delete replaced chunks would leave two or three per write.
		assertThat(leftBehind)
			.as("chunks left behind by %d writes, %d failed requests", writes.get(), this.failedRequests.get())
			.isLessThan((int) (writes.get() / 5 + 3 * this.failedRequests.get()));
	}

	@Test
	void aWriterThatDiesBetweenItsChunksAndItsHeadLeavesTheOldValue(DynamoDbLocal local) {
		FaultProxy proxy = FaultProxy.start(local.endpoint());
		this.closeables.add(proxy);
		DynamoDbClient proxied = proxy.newClient();
		this.closeables.add(proxied);
		DynamoDbCacheStore writer = store(proxied);
		byte[] old = random(LARGE, 11);
		this.store.put(this.cache, "k", old);

		proxy.throttleRequestsContaining(ItemLayout.PART_FORMAT);
		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> writer.put(this.cache, "k", random(LARGE, 12), Duration.ofMinutes(1), null));
		proxy.throttleRequestsContaining("RequestItems");
		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> writer.put(this.cache, "k", random(LARGE, 13), Duration.ofMinutes(1), null));

		assertThat((byte[]) this.store.get(this.cache, "k")).isEqualTo(old);
		assertThat(chunkItems()).as("the old value's chunks, and the orphaned ones of the head never written")
			.hasSize(6)
			.filteredOn((chunk) -> !chunk.get(ItemLayout.SORT_KEY).equals(head("k").get(ItemLayout.VERSION)))
			.as("orphaned chunks expire with the value's time-to-live")
			.hasSize(3)
			.allSatisfy((chunk) -> assertThat(chunk).containsKey(ItemLayout.EXPIRES_AT));
	}

	private static void run(List<Throwable> failures, Runnable action) {
		try {
			action.run();
		}
		catch (Throwable ex) {
			failures.add(ex);
		}
	}

	/** A value of 400 to 800 KB, two or three chunks, that only this writer and sequence number write. */
	private static byte[] value(int writer, int sequence) {
		Random random = new Random(writer * 1_000_003L + sequence);
		byte[] value = new byte[400 * 1024 + random.nextInt(400 * 1024)];
		random.nextBytes(value);
		ByteBuffer.wrap(value).putInt(writer).putInt(sequence);
		return value;
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Map<String, AttributeValue> head(String key) {
		return this.client
			.getItem((request) -> request.tableName(this.table)
				.key(Map.of(ItemLayout.PARTITION_KEY,
						AttributeValue.fromS(new ItemLayout(this.store.getShards()).partitionKey(this.cache, key)),
						ItemLayout.SORT_KEY, AttributeValue.fromS(key)))
				.consistentRead(true))
			.item();
	}

	private static int chunkItemsOf(Map<String, AttributeValue> head) {
		return ChunkedValues.isChunkedHead(head) ? Integer.parseInt(head.get(ItemLayout.PARTS).n()) : 0;
	}

	/** The chunk items of this test's cache, found by a scan of the table. */
	private List<Map<String, AttributeValue>> chunkItems() {
		return this.client.scanPaginator((request) -> request.tableName(this.table).consistentRead(true))
			.items()
			.stream()
			.filter((item) -> item.get(ItemLayout.PARTITION_KEY).s().startsWith(this.cache + "#")
					&& ItemLayout.isChunkPartition(item.get(ItemLayout.PARTITION_KEY).s()))
			.toList();
	}

	private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String attribute,
			AttributeValue value) {
		Map<String, AttributeValue> changed = new HashMap<>(item);
		changed.put(attribute, value);
		return changed;
	}

	/** Asks every request for the capacity it consumed, and adds it up. */
	static final class CapacityCounter implements ExecutionInterceptor {

		private double units;

		@Override
		public SdkRequest modifyRequest(
				Context.ModifyRequest context,
				ExecutionAttributes attributes) {
			SdkRequest request = context.request();
			ReturnConsumedCapacity total =
					ReturnConsumedCapacity.TOTAL;
			if (request instanceof GetItemRequest get) {
				return get.toBuilder().returnConsumedCapacity(total).build();
			}
			if (request instanceof PutItemRequest put) {
				return put.toBuilder().returnConsumedCapacity(total).build();
			}
			if (request instanceof BatchGetItemRequest batch) {
				return batch.toBuilder().returnConsumedCapacity(total).build();
			}
			if (request instanceof BatchWriteItemRequest batch) {
				return batch.toBuilder().returnConsumedCapacity(total).build();
			}
			if (request instanceof software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest delete) {
				return delete.toBuilder().returnConsumedCapacity(total).build();
			}
			return request;
		}

		@Override
		public synchronized void afterExecution(Context.AfterExecution context,
				ExecutionAttributes attributes) {
			Object response = context.response();
			if (response instanceof GetItemResponse get
					&& get.consumedCapacity() != null) {
				this.units += get.consumedCapacity().capacityUnits();
			}
			else if (response instanceof PutItemResponse put
					&& put.consumedCapacity() != null) {
				this.units += put.consumedCapacity().capacityUnits();
			}
			else if (response instanceof software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse delete
					&& delete.consumedCapacity() != null) {
				this.units += delete.consumedCapacity().capacityUnits();
			}
			else if (response instanceof BatchGetItemResponse batch) {
				batch.consumedCapacity().forEach((consumed) -> this.units += consumed.capacityUnits());
			}
			else if (response instanceof BatchWriteItemResponse batch) {
				batch.consumedCapacity().forEach((consumed) -> this.units += consumed.capacityUnits());
			}
		}

		synchronized double takeUnits() {
			double taken = this.units;
			this.units = 0;
			return taken;
		}

	}

	/** Stores byte arrays as they are, so that a value's size is its encoded size. */
	static final class BytesCodec implements ValueCodec {

		@Override
		public byte[] encode(Object value) {
			return ((byte[]) value).clone();
		}

		@Override
		public Object decode(byte[] bytes) {
			return Arrays.copyOf(bytes, bytes.length);
		}

	}

}
