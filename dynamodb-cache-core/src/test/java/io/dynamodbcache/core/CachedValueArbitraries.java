package io.dynamodbcache.core;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A generated universe of cacheable values: scalars, java.time values with zones, enums, records,
 * constructor-only classes, and collections and maps of them, nested, with keys of every kind, and records
 * holding each kind of container in Object-typed, Object-element and typed fields.
 */
final class CachedValueArbitraries {

	private CachedValueArbitraries() {
	}

	static Arbitrary<Object> values() {
		return Arbitraries.lazyOf(CachedValueArbitraries::scalars, () -> containers(scalars()),
				() -> containers(containers(scalars())));
	}

	private static Arbitrary<Object> scalars() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).map(Object.class::cast),
				Arbitraries.integers().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast),
				Arbitraries.bigDecimals().ofScale(3).map(Object.class::cast),
				Arbitraries.of(Genre.values()).map(Object.class::cast),
				Arbitraries.longs().between(0, 4_000_000_000L).map((s) -> (Object) LocalDate.ofEpochDay(s % 50_000)),
				Arbitraries.longs().between(0, 4_000_000_000L).map((s) -> (Object) Instant.ofEpochSecond(s)),
				Arbitraries.of("Europe/Paris", "UTC", "America/New_York", "Asia/Kolkata")
					.map((zone) -> (Object) ZonedDateTime.of(2026, 3, 29, 1, 30, 0, 0, ZoneId.of(zone))),
				Arbitraries.randomValue((random) -> (Object) new UUID(random.nextLong(), random.nextLong())),
				Combinators.combine(Arbitraries.strings().ofMaxLength(6), Arbitraries.strings().ofMaxLength(6))
					.as((first, last) -> (Object) new Author(first, last)),
				Combinators.combine(Arbitraries.strings().ofMaxLength(6), Arbitraries.integers())
					.as((id, parcels) -> (Object) new Shipment(id, parcels)),
				otherScalars(), beans());
	}

	/** JDK values that JSON has no type of its own for, and text that escaping rules could write differently. */
	private static Arbitrary<Object> otherScalars() {
		return Arbitraries.oneOf(Arbitraries.floats().map(Object.class::cast),
				Arbitraries.shorts().map(Object.class::cast), Arbitraries.bytes().map(Object.class::cast),
				Arbitraries.chars().alpha().map(Object.class::cast),
				Arbitraries.bigIntegers().map(Object.class::cast),
				Arbitraries.of("a/b", "\"quoted\"", "emoji \uD83D\uDE00 and \u00E9", "tab\tnew\nline", "<script>", "\u2028")
					.map(Object.class::cast),
				Arbitraries.longs().between(0, 10_000_000_000L).map((s) -> (Object) Duration.ofMillis(s)),
				Arbitraries.longs().between(0, 4_000_000_000_000L).map((ms) -> (Object) new Date(ms)),
				Arbitraries.longs().between(0, 4_000_000_000L)
					.map((s) -> (Object) LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC)),
				Arbitraries.integers().between(0, 86_399).map((s) -> (Object) LocalTime.ofSecondOfDay(s)),
				Arbitraries.integers().between(-18, 18)
					.map((hours) -> (Object) OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 0, ZoneOffset.ofHours(hours))),
				Arbitraries.of(Month.values()).map(Object.class::cast),
				Arbitraries.of(Rating.values()).map(Object.class::cast),
				locales().map(Object.class::cast),
				Arbitraries.of("EUR", "JPY").map((code) -> (Object) Currency.getInstance(code)),
				Arbitraries.of("https://example.com/a?b=c", "urn:isbn:0451450523").map((uri) -> (Object) URI.create(uri)),
				Arbitraries.of(TimeUnit.values()).map(Object.class::cast));
	}

	/**
	 * Locales with every part a locale can have: scripts ({@code zh-Hant-TW}), variants, Unicode extensions
	 * ({@code -u-ca-buddhist}), other extensions and private use ({@code -x-}), with or without a language or
	 * region; the JDK's own locales; and the legacy ones whose constructor adds an extension itself.
	 */
	@SuppressWarnings("deprecation") // new Locale(...): Locale.of is Java 19
	static Arbitrary<Locale> locales() {
		Arbitrary<Locale> built = Combinators
			.combine(Arbitraries.of("", "en", "zh", "sr", "th", "ja", "de", "und", "gsw", "es"),
					Arbitraries.of("", "", "Hant", "Hans", "Latn", "Cyrl"),
					Arbitraries.of("", "TW", "US", "RS", "CH", "419"),
					Arbitraries.of("", "", "POSIX", "1901", "polyton", "valencia-fonipa"),
					Arbitraries.of("", "", "u-ca-buddhist", "u-nu-thai-ca-japanese", "a-abcde", "x-foo",
							"u-ca-buddhist-x-private-use", "b-xyz-u-co-phonebk-x-a-b-c"))
			.as((language, script, region, variant, extensions) -> {
				StringBuilder tag = new StringBuilder(language.isEmpty() ? "und" : language);
				for (String part : List.of(script, region, variant, extensions)) {
					if (!part.isEmpty()) {
						tag.append('-').append(part);
					}
				}
				return Locale.forLanguageTag(tag.toString());
			});
		return Arbitraries.oneOf(built, Arbitraries.of(Locale.getAvailableLocales()),
				Arbitraries.of(Locale.ROOT, Locale.CANADA_FRENCH, Locale.JAPAN, new Locale("ja", "JP", "JP"),
						new Locale("th", "TH", "TH"), new Locale("en", "US", "WIN"), new Locale("de", "", "POSIX"),
						new Locale("", "GB"), new Locale("no", "NO", "NY")));
	}

	private static Arbitrary<Object> beans() {
		return Combinators
			.combine(Arbitraries.strings().ofMaxLength(6), Arbitraries.strings().ofMaxLength(3),
					Arbitraries.integers(), Arbitraries.strings().ofMaxLength(3).list().ofMaxSize(3))
			.as((url, xRay, weight, labels) -> {
				Parcel parcel = new Parcel();
				parcel.setURL(url);
				parcel.setxRay(xRay);
				parcel.setWeight(weight);
				parcel.getLabels().addAll(labels);
				return (Object) parcel;
			});
	}

	private static Arbitrary<Object> containers(Arbitrary<Object> elements) {
		Arbitrary<Object> keys = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(5).map(Object.class::cast),
				Arbitraries.longs().map(Object.class::cast), Arbitraries.of(Genre.values()).map(Object.class::cast),
				Arbitraries.randomValue((random) -> (Object) new UUID(random.nextLong(), random.nextLong())));
		return Arbitraries.oneOf(elements.list().ofMaxSize(4).map((list) -> (Object) new ArrayList<>(list)),
				elements.set().ofMaxSize(4).map((set) -> (Object) new HashSet<>(set)),
				Combinators.combine(keys.list().ofMaxSize(4), elements.list().ofSize(4)).as((ks, vs) -> {
					HashMap<Object, Object> map = new HashMap<>();
					for (int i = 0; i < ks.size(); i++) {
						map.put(ks.get(i), vs.get(i));
					}
					return (Object) map;
				}),
				Combinators.combine(Arbitraries.longs().list().ofMaxSize(4), elements.list().ofSize(4)).as((ks, vs) -> {
					TreeMap<Long, Object> map = new TreeMap<>();
					for (int i = 0; i < ks.size(); i++) {
						map.put(ks.get(i), vs.get(i));
					}
					return (Object) map;
				}),
				Combinators.combine(Arbitraries.strings().ofMaxLength(4).list().ofMaxSize(4), elements.list().ofSize(4))
					.as((ks, vs) -> {
						LinkedHashMap<String, Object> map = new LinkedHashMap<>();
						for (int i = 0; i < ks.size(); i++) {
							map.put(ks.get(i), vs.get(i));
						}
						return (Object) map;
					}),
				Arbitraries.subsetOf(Genre.values()).map((genres) -> {
					EnumSet<Genre> set = EnumSet.noneOf(Genre.class);
					set.addAll(genres);
					return (Object) set;
				}), elements.list().ofMinSize(1).ofMaxSize(3).map((vs) -> {
					EnumMap<Genre, Object> map = new EnumMap<>(Genre.class);
					for (int i = 0; i < vs.size(); i++) {
						map.put(Genre.values()[i], vs.get(i));
					}
					return (Object) map;
				}), elements.list().ofMaxSize(3).map((list) -> (Object) List.copyOf(list)),
				elements.optional().map((optional) -> (Object) optional), holders(elements));
	}

	/**
	 * Records whose fields hold what the containers above hold: in {@code Object}-typed fields, in fields
	 * whose elements are typed {@code Object}, and in typed fields (an {@code EnumSet}, {@code List.of}).
	 */
	private static Arbitrary<Object> holders(Arbitrary<Object> elements) {
		Arbitrary<Object> contained = Arbitraries.lazyOf(() -> containers(elements));
		Arbitrary<EnumSet<Genre>> genres = Arbitraries.subsetOf(Genre.values()).map((chosen) -> {
			EnumSet<Genre> set = EnumSet.noneOf(Genre.class);
			set.addAll(chosen);
			return set;
		});
		return Combinators.combine(contained, contained.list().ofMaxSize(3), contained.list().ofMaxSize(3), genres,
				Arbitraries.strings().ofMaxLength(3).list().ofMaxSize(3))
			.as((any, items, values, set, names) -> {
				Map<String, Object> byName = new HashMap<>();
				for (int i = 0; i < values.size(); i++) {
					byName.put("k" + i, values.get(i));
				}
				return (Object) new Holder(any, new ArrayList<>(items), byName, set, set.isEmpty() ? Set.of() : set,
						List.copyOf(names), Map.copyOf(byName));
			});
	}

	record Holder(Object any, List<Object> items, Map<String, Object> byName, EnumSet<Genre> genres,
			Set<Genre> genreSet, List<String> names, Map<String, Object> fixed) {
	}

}
