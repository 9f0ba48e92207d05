package io.dynamodbcache.core;

import java.util.List;
import java.util.Map;
import java.util.Random;

import io.dynamodbcache.testsupport.SampleValues;
import org.junit.jupiter.api.Test;

import io.dynamodbcache.core.ItemMapper.PreparedItem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values are compressed when that lowers the write capacity units DynamoDB bills (per started KB of the
 * item), not above a fixed size: measured on JSON values of about 1.5 KB and 10 KB, against the former rule
 * (compress above 4 KB).
 */
class CapacityAwareCompressionUnitTests {

	private static final ValueCodec CODEC = JacksonValueCodec.create();

	private final ItemMapper mapper = new ItemMapper(new ItemLayout(16), CODEC, 0, 4 * 1024 * 1024);

	@Test
	void aJsonValueOfOneAndAHalfKilobytesCostsOneWriteUnitInsteadOfTwo() {
		List<Map<String, Object>> books = SampleValues.catalogue(5);
		assertThat(CODEC.encode(books).length).isBetween(1400, 1700);

		assertThat(formerWriteUnits(books)).isEqualTo(2);
		assertThat(writeUnits(books)).isEqualTo(1);
	}

	@Test
	void aJsonValueOfTenKilobytesCostsNoMoreThanBefore() {
		List<Map<String, Object>> books = SampleValues.catalogue(35);
		assertThat(CODEC.encode(books).length).isBetween(9500, 10800);

		assertThat(writeUnits(books)).isLessThanOrEqualTo(formerWriteUnits(books));
	}

	@Test
	void valuesThatCompressionCannotMakeCheaperAreStoredPlain() {
		PreparedItem small = this.mapper.prepare("c", "k", SampleValues.catalogue(2), 0, 0);
		byte[] random = new byte[3000];
		new Random(7).nextBytes(random);
		PreparedItem incompressible = this.mapper.prepare("c", "k", random, 0, 0);

		assertThat(small.format()).isEqualTo(ItemLayout.FORMAT_PLAIN);
		assertThat(incompressible.format()).isEqualTo(ItemLayout.FORMAT_PLAIN);
		assertThat(this.mapper.prepare("c", "k", SampleValues.catalogue(5), 0, 0).format())
			.isEqualTo(ItemLayout.FORMAT_DEFLATED);
	}

	@Test
	void aCompressedValueReadsBackAsWritten() {
		List<Map<String, Object>> books = SampleValues.catalogue(5);
		Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = this.mapper
			.prepare("c", "k", books, 0, 0).item(1_000);

		ItemMapper.Live live = (ItemMapper.Live) this.mapper.read("k", item, 2_000);

		assertThat(live.value()).isEqualTo(books);
	}

	private long writeUnits(Object value) {
		return ItemMapper.writeUnits(ItemMapper.itemSize(this.mapper.prepare("c", "book-list", value, 60_000, 0).item(0)));
	}

	/** What the item cost when values were compressed above 4 KB only. */
	private long formerWriteUnits(Object value) {
		ItemMapper former = new ItemMapper(new ItemLayout(16), CODEC, Integer.MAX_VALUE, 4 * 1024 * 1024);
		PreparedItem plain = former.prepare("c", "book-list", value, 60_000, 0);
		long size = ItemMapper.itemSize(plain.item(0));
		if (plain.bytes().length > 4096) {
			size = size - plain.bytes().length + Compression.deflate(plain.bytes()).length;
		}
		return ItemMapper.writeUnits(size);
	}

}
