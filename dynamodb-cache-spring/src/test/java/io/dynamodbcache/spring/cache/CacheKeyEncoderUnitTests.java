package io.dynamodbcache.spring.cache;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.format.support.DefaultFormattingConversionService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CacheKeyEncoderUnitTests {

	private final CacheKeyEncoder encoder = new CacheKeyEncoder(new DefaultFormattingConversionService());

	@Test
	void keysThatCollidedBeforeAreAllDistinct() {
		List<Object> keys = List.of("1", 1, 1L, (short) 1, (byte) 1, 1.0, 1.0f, new BigDecimal("1"),
				new BigDecimal("1.0"), '1', "null", "~i:1", "~~i:1", "", "~", new SimpleKey("a", null),
				new SimpleKey("a", "null"), new SimpleKey("Smith, John", "UK"), new SimpleKey("Smith", "John, UK"),
				new SimpleKey("a"), new SimpleKey(), new SimpleKey(new SimpleKey("a", "b")), new SimpleKey("a", "b"),
				List.of("a", "b"), List.of(List.of("a"), "b"), Set.of("a", "b"), Map.of("a", "b"), new int[] { 1 },
				new Integer[] { 1 }, new long[] { 1 }, new Sku("A", 1), new Sku("A", 11), new Other("A", 1),
				Color.RED, OtherColor.RED, true, "true", UUID.fromString("00000000-0000-0000-0000-000000000001"),
				LocalDate.of(2026, 1, 1), "2026-01-01", Duration.ofSeconds(1), new PlainKey("x"), new PlainKey("y"));

		Set<String> encodings = new HashSet<>();
		for (Object key : keys) {
			assertThat(encodings.add(this.encoder.encode(key))).as("encoding of %s is unique", key).isTrue();
		}
	}

	@Test
	void equalKeysShareTheirEncoding() {
		assertSame(new SimpleKey("a", 1), new SimpleKey("a", 1));
		assertSame(List.of(1, 2), new LinkedList<>(List.of(1, 2)));
		assertSame(Set.of("b", "a"), new TreeSet<>(Set.of("a", "b")));
		assertSame(Map.of("a", 1, "b", 2), new TreeMap<>(Map.of("b", 2, "a", 1)));
		assertSame(new SimpleKey((Object) new Integer[] { 1 }), new SimpleKey((Object) new Object[] { 1 }));
		assertSame(new Sku("A", 1), new Sku("A", 1));
		assertSame(new PlainKey("x"), new PlainKey("x"));
		assertSame(Double.NaN, Double.NaN);
	}

	@Test
	void zonesAndOffsetsAreKeptApart() {
		ZonedDateTime paris = ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris"));
		ZonedDateTime sameInstantInUtc = paris.withZoneSameInstant(ZoneOffset.UTC);
		OffsetDateTime offset = paris.toOffsetDateTime();

		assertThat(this.encoder.encode(paris)).isNotEqualTo(this.encoder.encode(sameInstantInUtc))
			.isNotEqualTo(this.encoder.encode(offset));
	}

	@Test
	void plainStringsStayReadableAndOnlyALeadingTildeIsEscaped() {
		assertThat(this.encoder.encode("isbn-123")).isEqualTo("isbn-123");
		assertThat(this.encoder.encode("a~b")).isEqualTo("a~b");
		assertThat(this.encoder.encode("~x")).isEqualTo("~~x");
		assertThat(this.encoder.encode(42)).isEqualTo("~i:42");
		assertThat(this.encoder.encode(new SimpleKey("a", null))).isEqualTo("~k[2:'a1:n]");
	}

	@Test
	void aKeyWithoutEqualsOrToStringIsRefusedWithTheFixes() {
		assertThatExceptionOfType(CacheKeyEncoder.UnsupportedKeyException.class)
			.isThrownBy(() -> this.encoder.encode(new IdentityKey("x")))
			.withMessageContaining("key = \"#p0.id\"")
			.withMessageContaining("KeyGenerator")
			.withMessageContaining("withConversionService");
		assertThatExceptionOfType(CacheKeyEncoder.UnsupportedKeyException.class)
			.isThrownBy(() -> this.encoder.encode(new SimpleKey("a", new IdentityKey("x"))))
			.withMessageContaining("through its part of type " + IdentityKey.class.getName())
			.satisfies((ex) -> assertThat(ex.getKeyType()).isEqualTo(SimpleKey.class));
	}

	@Test
	void aKeyWithEqualsAndHashCodeButNoToStringIsRefusedSinceObjectToStringCollides() {
		assertThat(new ConcurrentMapCacheDifferentialTests.HashOnlyKey("Aa"))
			.hasSameHashCodeAs(new ConcurrentMapCacheDifferentialTests.HashOnlyKey("BB"));

		assertThatExceptionOfType(CacheKeyEncoder.UnsupportedKeyException.class)
			.isThrownBy(() -> this.encoder.encode(new ConcurrentMapCacheDifferentialTests.HashOnlyKey("Aa")));
		assertThatExceptionOfType(CacheKeyEncoder.UnsupportedKeyException.class)
			.isThrownBy(() -> this.encoder.encode(new SimpleKey(1, new ConcurrentMapCacheDifferentialTests.HashOnlyKey("BB"))));
	}

	@Test
	void keysWithLoneSurrogatesAreEscapedIntoWellFormedDistinctEncodings() {
		List<Object> keys = List.of("\uD800", "\uDBFF", "?", "\uFFFD", "\\uD800", "~w\\uD800", "\uD800\\",
				"\uD83D\uDE00", List.of("\uD800"), '\uDC00', 'x');
		List<String> encoded = keys.stream().map(this.encoder::encode).toList();

		assertThat(encoded).doesNotHaveDuplicates();
		// codePoints() joins pairs into one code point above U+FFFF, so a surrogate it gives is a lone one.
		assertThat(encoded).allSatisfy((key) -> assertThat(key.codePoints()).noneMatch(
				(codePoint) -> codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE));
		assertThat(this.encoder.encode("\uD800")).isEqualTo("~w\\uD800");
		assertThat(this.encoder.encode("\uD83D\uDE00")).as("a pair stays as it is").isEqualTo("\uD83D\uDE00");
	}

	@Test
	void aConverterToStringMakesAnyKeyUsable() {
		DefaultFormattingConversionService conversions = new DefaultFormattingConversionService();
		conversions.addConverter(IdentityKey.class, String.class, IdentityKey::id);

		assertThat(new CacheKeyEncoder(conversions).encode(new IdentityKey("x")))
			.isEqualTo("~x:" + IdentityKey.class.getName() + ":x");
	}

	private void assertSame(Object first, Object second) {
		assertThat(first).isEqualTo(second);
		assertThat(this.encoder.encode(first)).isEqualTo(this.encoder.encode(second));
	}

	record Sku(String sku, int size) {
	}

	record Other(String sku, int size) {
	}

	enum Color {

		RED

	}

	enum OtherColor {

		RED

	}

	/** A key with value semantics and its own toString. */
	static final class PlainKey {

		private final String id;

		PlainKey(String id) {
			this.id = id;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof PlainKey that && this.id.equals(that.id);
		}

		@Override
		public int hashCode() {
			return this.id.hashCode();
		}

		@Override
		public String toString() {
			return "PlainKey[" + this.id + "]";
		}

	}

	/** A key with identity semantics: no equals, no toString. */
	static final class IdentityKey {

		private final String id;

		IdentityKey(String id) {
			this.id = id;
		}

		String id() {
			return this.id;
		}

	}

}
