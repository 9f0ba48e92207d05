package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import io.dynamodbcache.core.ItemMapper.Live;
import io.dynamodbcache.core.ItemMapper.Missing;
import io.dynamodbcache.core.ItemMapper.PreparedItem;
import io.dynamodbcache.core.ItemMapper.Undecodable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ItemMapperUnitTests {

	private static final long NOW = 1_700_000_000_000L;

	private final ItemMapper mapper = new ItemMapper(new ItemLayout(4), JacksonValueCodec.create(), 4096,
			64 * 1024);

	@Test
	void anItemReadsBackAsTheEntryItWasWrittenFrom() {
		Map<String, AttributeValue> item = this.mapper.prepare("c", "k", List.of("a", "b"), 60_000, 0).item(NOW);

		Live live = (Live) this.mapper.read("k", item, NOW + 1);

		CacheEntry entry = live.toEntry("k", live.expiresAt());
		assertThat(entry.value()).isEqualTo(List.of("a", "b"));
		assertThat(entry.createdAt()).isEqualTo(Instant.ofEpochMilli(NOW));
		assertThat(entry.expiresAt()).isEqualTo(Instant.ofEpochMilli(NOW + 60_000));
		assertThat(entry.timeToLive()).isEqualTo(Duration.ofMinutes(1));
		assertThat(entry.timeToIdle()).isNull();
	}

	@Test
	void idleEntriesRecordTheirDeadlineAndIdleTime() {
		Map<String, AttributeValue> item = this.mapper.prepare("c", "k", "v", 60_000, 10_000).item(NOW);

		assertThat(item.get(ItemLayout.EXPIRES_AT_MILLIS).n()).isEqualTo(Long.toString(NOW + 10_000));
		assertThat(item.get(ItemLayout.DEADLINE_MILLIS).n()).isEqualTo(Long.toString(NOW + 60_000));
		assertThat(item.get(ItemLayout.IDLE_MILLIS).n()).isEqualTo("10000");
		assertThat(item.get(ItemLayout.EXPIRES_AT).n()).isEqualTo(Long.toString((NOW + 10_000) / 1000));
		Live live = (Live) this.mapper.read("k", item, NOW);
		assertThat(live.toEntry("k", live.expiresAt()).timeToLive()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void nullIsStoredAsAFormatWithoutAValue() {
		Map<String, AttributeValue> item = this.mapper.prepare("c", "k", null, 0, 0).item(NOW);

		assertThat(item).doesNotContainKey(ItemLayout.VALUE);
		assertThat(this.mapper.read("k", item, NOW)).isInstanceOfSatisfying(Live.class,
				(live) -> assertThat(live.value()).isNull());
	}

	@Test
	void valuesAboveTheThresholdAreCompressed() {
		PreparedItem compressible = this.mapper.prepare("c", "k", "ab".repeat(5000), 0, 0);
		PreparedItem small = this.mapper.prepare("c", "k", "ab".repeat(2000), 0, 0);

		assertThat(compressible.format()).isEqualTo(ItemLayout.FORMAT_DEFLATED);
		assertThat(compressible.bytes()).hasSizeLessThan(1000);
		assertThat(small.format()).isEqualTo(ItemLayout.FORMAT_PLAIN);
		assertThat(((Live) this.mapper.read("k", compressible.item(NOW), NOW)).value()).isEqualTo("ab".repeat(5000));
	}

	@Test
	void aValueOverTheItemLimitBecomesAHeadThatNamesItsChunksAndReadsAsUndecodableWithoutThem() {
		byte[] random = new byte[DynamoDbCacheStore.MAX_ITEM_BYTES];
		new Random(2).nextBytes(random);
		ItemMapper generous = new ItemMapper(new ItemLayout(4), JacksonValueCodec.create(), 4096, 1 << 20);

		PreparedItem prepared = generous.prepare("c", "k", random, 0, 0);
		Map<String, AttributeValue> head = prepared.item(NOW);

		assertThat(prepared.isChunked()).isTrue();
		assertThat(prepared.parts()).isEqualTo(2);
		assertThat(head).doesNotContainKey(ItemLayout.VALUE)
			.containsEntry(ItemLayout.PARTS, AttributeValue.fromN("2"))
			.containsKeys(ItemLayout.VERSION, ItemLayout.CHECKSUM, ItemLayout.STORED_SIZE);
		assertThat(ItemMapper.itemSize(head)).isLessThan(ItemMapper.WRITE_UNIT_BYTES);
		assertThat(generous.read("k", head, NOW)).isInstanceOf(ItemMapper.Undecodable.class);
		assertThat(generous.prepare("c", "k", random, 0, 0).version()).as("a fresh version each write")
			.isNotEqualTo(prepared.version());
	}

	@Test
	void absentExpiredAndOtherKeysItemsAreMissing() {
		Map<String, AttributeValue> item = this.mapper.prepare("c", "k", "v", 1000, 0).item(NOW);

		assertThat(this.mapper.read("k", null, NOW)).isEqualTo(Missing.INSTANCE);
		assertThat(this.mapper.read("k", Map.of(), NOW)).isEqualTo(Missing.INSTANCE);
		assertThat(this.mapper.read("other", item, NOW)).isEqualTo(Missing.INSTANCE);
		assertThat(this.mapper.read("k", item, NOW + 1000)).isEqualTo(Missing.INSTANCE);
		assertThat(ItemMapper.isLive("k", item, NOW + 999)).isTrue();
		assertThat(ItemMapper.isLive("k", item, NOW + 1000)).isFalse();
	}

	@Test
	void everyKindOfMalformedItemIsUndecodableAndNeverThrows() {
		Map<String, AttributeValue> good = this.mapper.prepare("c", "k", "v", 60_000, 10_000).item(NOW);
		Map<String, AttributeValue> counter = new HashMap<>(good);
		counter.put(ItemLayout.FORMAT, AttributeValue.fromN(Integer.toString(ItemLayout.FORMAT_COUNTER)));

		assertUndecodable(without(good, ItemLayout.CREATED_AT_MILLIS), "createdAtMillis");
		assertUndecodable(with(good, ItemLayout.CREATED_AT_MILLIS, AttributeValue.fromS("yesterday")), "createdAtMillis");
		assertUndecodable(with(good, ItemLayout.EXPIRES_AT_MILLIS, AttributeValue.fromN("1.5e15")), "expiresAtMillis");
		assertUndecodable(with(good, ItemLayout.EXPIRES_AT_MILLIS, AttributeValue.fromN("99999999999999999999")),
				"expiresAtMillis");
		assertUndecodable(with(good, ItemLayout.EXPIRES_AT_MILLIS, AttributeValue.fromS("never")), "expiresAtMillis");
		assertUndecodable(with(good, ItemLayout.IDLE_MILLIS, AttributeValue.fromN("0")), "idleMillis");
		assertUndecodable(with(good, ItemLayout.DEADLINE_MILLIS, AttributeValue.fromBool(true)), "deadlineMillis");
		assertUndecodable(without(good, ItemLayout.FORMAT), "fmt");
		assertUndecodable(with(good, ItemLayout.FORMAT, AttributeValue.fromN("7")), "unknown value format 7");
		assertUndecodable(without(good, ItemLayout.VALUE), "val");
		assertUndecodable(with(good, ItemLayout.VALUE, AttributeValue.fromS("v")), "val");
		assertUndecodable(without(counter, ItemLayout.COUNTER), "counter");
		assertUndecodable(with(good, ItemLayout.FORMAT, AttributeValue.fromN(Integer.toString(ItemLayout.FORMAT_DEFLATED))),
				"compressed");
		assertUndecodable(with(good, ItemLayout.VALUE, binary("{\"secret\": \"hunter2\"")), "codec");
	}

	@Test
	void undecodableReasonsNeverQuoteTheStoredContent() {
		Map<String, AttributeValue> good = this.mapper.prepare("c", "k", "v", 0, 0).item(NOW);

		Undecodable notJson = (Undecodable) this.mapper.read("k", with(good, ItemLayout.VALUE, binary("hunter2-secret")), NOW);
		Undecodable hostileType = (Undecodable) this.mapper.read("k",
				with(good, ItemLayout.VALUE, binary("[\"com.example.hunter2.Gadget\",{}]")), NOW);

		assertThat(notJson.reason()).doesNotContain("hunter2");
		assertThat(hostileType.reason()).doesNotContain("hunter2");
	}

	@Test
	void anExpiredItemIsMissingEvenWhenItsValueIsMalformed() {
		Map<String, AttributeValue> item = with(this.mapper.prepare("c", "k", "v", 1000, 0).item(NOW), ItemLayout.VALUE,
				binary("garbage"));

		assertThat(this.mapper.read("k", item, NOW + 5000)).isEqualTo(Missing.INSTANCE);
	}

	@Test
	void aValueOverTheMaximumValueSizeIsRefusedOnWriteWithTheSettingToRaise() {
		assertThatExceptionOfType(CacheValueTooLargeException.class)
			.isThrownBy(() -> this.mapper.prepare("c", "k", "ab".repeat(40_000), 0, 0))
			.withMessageContaining("over the maximum value size of 65536 bytes")
			.withMessageContaining("dynamodb.cache.max-value-size")
			.satisfies((ex) -> assertThat(ex.getLimit()).isEqualTo(65536));
	}

	@Test
	void aStoredValueThatInflatesBeyondTheMaximumIsUndecodable() {
		ItemMapper generous = new ItemMapper(new ItemLayout(4), JacksonValueCodec.create(), 4096, 1 << 20);
		Map<String, AttributeValue> item = generous.prepare("c", "k", "ab".repeat(100_000), 0, 0).item(NOW);

		assertThat(item.get(ItemLayout.VALUE).b().asByteArrayUnsafe()).hasSizeLessThan(10_000);
		assertUndecodable(item, "maximum value size");
	}

	@Test
	void jsonNestedBeyondTheParsersLimitIsUndecodable() {
		Map<String, AttributeValue> good = this.mapper.prepare("c", "k", "v", 0, 0).item(NOW);
		String deep = "[\"java.util.ArrayList\",[".repeat(1500) + "]]".repeat(1500);

		assertUndecodable(with(good, ItemLayout.VALUE, binary(deep)), "codec");
	}

	private void assertUndecodable(Map<String, AttributeValue> item, String reason) {
		assertThat(this.mapper.read("k", item, NOW)).isInstanceOfSatisfying(Undecodable.class,
				(undecodable) -> assertThat(undecodable.reason()).contains(reason));
	}

	private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String name, AttributeValue value) {
		Map<String, AttributeValue> copy = new HashMap<>(item);
		copy.put(name, value);
		return copy;
	}

	private static Map<String, AttributeValue> without(Map<String, AttributeValue> item, String name) {
		Map<String, AttributeValue> copy = new HashMap<>(item);
		copy.remove(name);
		return copy;
	}

	private static AttributeValue binary(String text) {
		return AttributeValue.fromB(SdkBytes.fromByteArray(text.getBytes(StandardCharsets.UTF_8)));
	}

}
