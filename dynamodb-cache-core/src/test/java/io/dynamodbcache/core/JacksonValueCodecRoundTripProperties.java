package io.dynamodbcache.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value of a generated universe of types comes back from the codec equal to what was encoded and of
 * the same class: scalars, java.time values with zones, enums, records, constructor-only classes, and
 * collections and maps of them, nested, with keys of every kind.
 */
class JacksonValueCodecRoundTripProperties {

	private final JacksonValueCodec codec = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	@Property(tries = 1000, seed = "20261123")
	void everyValueComesBackEqualAndOfTheSameClass(@ForAll("values") Object value) {
		Object decoded = this.codec.decode(this.codec.encode(value));

		assertThat(decoded).isEqualTo(value);
		assertThat(decoded.getClass()).isEqualTo(value.getClass());
	}

	@Provide
	Arbitrary<Object> values() {
		return Arbitraries.lazyOf(this::scalars, () -> containers(scalars()), () -> containers(containers(scalars())));
	}

	private Arbitrary<Object> scalars() {
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
					.as((id, parcels) -> (Object) new Shipment(id, parcels)));
	}

	private Arbitrary<Object> containers(Arbitrary<Object> elements) {
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
	private Arbitrary<Object> holders(Arbitrary<Object> elements) {
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
