package io.dynamodbcache.lucee;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based differential test against Lucee's RamCache: generated CFML values (nested structs of every
 * kind, arrays, numbers of every Java type, strings, dates, timespans, binary) under generated keys go
 * through both caches, and what CFML observes of the value read back must be the same.
 */
class RamCachePropertyTests {

	private static final String RAM = "propertyram";

	private static final String DYNAMO = "propertydynamo";

	/** Builds a struct of a kind from keys and values, so that every generated value is one expression. */
	private static final String MAKE_STRUCT = """
			function mk(kind, keys, values) {
				var s = (kind == "literal") ? {} : structNew(kind);
				for (var i = 1; i <= arrayLen(keys); i++) s[keys[i]] = values[i];
				return s;
			}
			function randomBytes(n, seed) {
				var bytes = createObject("java", "java.nio.ByteBuffer").allocate(javaCast("int", n)).array();
				createObject("java", "java.util.Random").init(javaCast("long", seed)).nextBytes(bytes);
				return bytes;
			}
			""";

	@BeforeContainer
	static void bootLucee() {
		LuceeEngine.get();
	}

	@Property(tries = 60, seed = "20261125")
	void anyValueUnderAnyKeyComesBackAsRamCacheGivesIt(@ForAll("values") String value, @ForAll("keys") String key) {
		Statistics.label("a string of 300 KB to 3 MB")
			.collect(value.startsWith("repeatString(") || value.startsWith("toBase64(randomBytes("));
		String script = "v = " + value + ";\n" + """
				cacheRemoveAll(CACHE);
				cachePut(id=KEY, value=v, cacheName=CACHE);
				got = cacheGet(id=KEY, cacheName=CACHE);
				// objectEquals compares binary values by instance: a copy never equals (see the README's differences).
				return describe(got) & " equals=" & (find("binary [B", describe(v)) > 0 || objectEquals(v, got))
					& " upper=" & cacheIdExists(uCase(KEY), CACHE)
					& " ids=" & arrayToList(cacheGetAllIds(cacheName=CACHE), "|");
				""".replace("KEY", key);

		String ram = run(script, RAM);
		String dynamo = run(script, DYNAMO);

		assertThat(dynamo).as("DynamoDB cache against RamCache for %s under %s", value, key).isEqualTo(ram);
	}

	private static String run(String script, String cache) {
		String application = LuceeEngine.applicationWithRamAndDynamoDb("dynamodbProperties", RAM, DYNAMO,
				"lucee-properties");
		return String.valueOf(LuceeEngine.eval(application + RamCacheConformanceTests.DESCRIBE + MAKE_STRUCT
				+ script.replace("CACHE", "\"" + cache + "\"")));
	}

	@Provide
	Arbitrary<String> keys() {
		return text(1, 40).map(RamCachePropertyTests::literal);
	}

	@Provide
	Arbitrary<String> values() {
		return Arbitraries.frequencyOf(List.of(Tuple.of(3, value(3)), Tuple.of(1, large())));
	}

	/**
	 * Strings of 300 KB to 3 MB, repeated words or base64 of random bytes (which deflates to about 3/4):
	 * over 400 KB stored they are chunked (issue 22).
	 */
	private static Arbitrary<String> large() {
		return Combinators
			.combine(Arbitraries.of(300 * 1024, 450 * 1024, 1024 * 1024, 3 * 1024 * 1024), Arbitraries.of(true, false),
					Arbitraries.longs())
			.as((size, compressible, seed) -> compressible ? "repeatString(\"lorem ipsum \", " + size / 12 + ")"
					: "toBase64(randomBytes(" + size * 3 / 4 + ", " + seed + "))");
	}

	private static Arbitrary<String> value(int depth) {
		Arbitrary<String> simple = Arbitraries.oneOf(
				text(0, 30).map(RamCachePropertyTests::literal),
				Arbitraries.integers().map((n) -> "javaCast(\"int\", " + n + ")"),
				Arbitraries.longs().map((n) -> "javaCast(\"long\", \"" + n + "\")"),
				Arbitraries.doubles().map((n) -> "javaCast(\"double\", \"" + n + "\")"),
				Arbitraries.floats().map((n) -> "javaCast(\"float\", \"" + n + "\")"),
				Arbitraries.shorts().map((n) -> "javaCast(\"short\", " + n + ")"),
				Arbitraries.bytes().map((n) -> "javaCast(\"byte\", " + n + ")"),
				Arbitraries.bigDecimals().ofScale(4).map((n) -> "javaCast(\"bigdecimal\", \"" + n.toPlainString() + "\")"),
				Arbitraries.bigIntegers().map((n) -> "javaCast(\"biginteger\", \"" + n + "\")"),
				Arbitraries.of("true", "false"),
				Combinators.combine(Arbitraries.integers().between(1900, 2100), Arbitraries.integers().between(1, 12),
						Arbitraries.integers().between(1, 28), Arbitraries.integers().between(0, 86_399_999))
					.as((year, month, day, millis) -> "createDateTime(" + year + ", " + month + ", " + day + ", "
							+ millis / 3_600_000 + ", " + millis / 60_000 % 60 + ", " + millis / 1000 % 60 + ", "
							+ millis % 1000 + ")"),
				Arbitraries.longs().between(0, 100L * 86_400_000).map((millis) -> "createTimeSpan(" + millis / 86_400_000
						+ ", " + millis / 3_600_000 % 24 + ", " + millis / 60_000 % 60 + ", " + millis / 1000 % 60 + ", "
						+ millis % 1000 + ")"),
				text(0, 20).map((text) -> "charsetDecode(" + literal(text) + ", \"utf-8\")"));
		if (depth == 0) {
			return simple;
		}
		Arbitrary<String> nested = value(depth - 1);
		Arbitrary<String> array = nested.list().ofMaxSize(4).map((items) -> "[" + String.join(", ", items) + "]");
		// Up to 8 keys: enough that two often share a hash bucket, whose order is the map's own.
		Arbitrary<List<String>> structKeys = Arbitraries.strings().withChars("aAbBzZ_1ä-").ofMinLength(1).ofMaxLength(4)
			.list().ofMaxSize(8);
		Arbitrary<String> struct = Combinators
			.combine(Arbitraries.of("literal", "sync", "normal", "weak", "soft", "ordered", "casesensitive",
					"ordered-casesensitive"), structKeys, nested.list().ofSize(8))
			.as((kind, keys, items) -> "mk(\"" + kind + "\", [" + String.join(", ", keys.stream()
				.map(RamCachePropertyTests::literal).toList()) + "], [" + String.join(", ", items) + "])");
		return Arbitraries.frequencyOf(List.of(Tuple.of(4, simple), Tuple.of(2, array), Tuple.of(2, struct)));
	}

	/** Text of printable ASCII (CFML's special characters included), Latin-1 and a few other scripts. */
	private static Arbitrary<String> text(int min, int max) {
		return Arbitraries.strings()
			.withCharRange(' ', '~')
			.withCharRange('\u00a0', '\u00ff')
			.withChars("✓€日本語ЖΩ")
			.ofMinLength(min)
			.ofMaxLength(max);
	}

	/** A CFML string literal: double quotes and hashes doubled. */
	private static String literal(String text) {
		return "\"" + text.replace("\"", "\"\"").replace("#", "##") + "\"";
	}

}
