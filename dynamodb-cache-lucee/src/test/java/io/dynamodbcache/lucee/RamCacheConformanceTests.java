package io.dynamodbcache.lucee;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential tests against the reference, Lucee's own RamCache: every script runs once on a fresh RamCache
 * connection and once on a fresh DynamoDB connection in the same Lucee engine, and what CFML observes must
 * be the same. The differences that remain (persistence and copy semantics) are asserted at the end and
 * listed in the README.
 */
class RamCacheConformanceTests {

	private static final AtomicInteger CONNECTIONS = new AtomicInteger();

	/** Describes a value by everything CFML can observe of it: type, content, key case and order. */
	static final String DESCRIBE = """
			function describe(v) {
				if (isNull(arguments.v)) return "null";
				var type = v.getClass().getName();
				if (isXmlDoc(v)) return "xml " & type & " " & toString(v) & " root=" & v.xmlRoot.xmlName;
				if (isQuery(v)) return "query " & type & " " & v.columnList & " " & serializeJSON(getMetadata(v))
					& " " & serializeJSON(v);
				if (isBinary(v)) return "binary " & type & " " & toBase64(v);
				if (type contains "DateTime") return "date " & type & " "
					& dateTimeFormat(v, "yyyy-mm-dd HH:nn:ss.l", "UTC");
				if (type contains "TimeSpan") return "timespan " & type & " " & v.getMillis();
				if (isStruct(v)) {
					var parts = [];
					for (var k in v) arrayAppend(parts, k & "=" & (isNull(v[k]) ? "null" : describe(v[k])));
					var probe = structCount(v) ? listFirst(structKeyList(v)) : "";
					return "struct " & type & " {" & arrayToList(parts, ", ") & "} otherCase="
						& (len(probe) && compare(uCase(probe), probe) != 0 ? structKeyExists(v, uCase(probe))
							: (len(probe) ? structKeyExists(v, lCase(probe)) : "-"));
				}
				if (isArray(v)) {
					var items = [];
					for (var i = 1; i <= arrayLen(v); i++) {
						arrayAppend(items, arrayIsDefined(v, i) ? describe(v[i]) : "undefined");
					}
					return "array " & type & " [" & arrayToList(items, ", ") & "]";
				}
				return "simple " & type & " " & v;
			}
			""";

	private String ram;

	private String dynamo;

	@BeforeEach
	void newConnections() {
		int number = CONNECTIONS.incrementAndGet();
		this.ram = "ram" + number;
		this.dynamo = "conformance" + number;
	}

	/** Run the script with {@code CACHE} naming the RamCache, then the DynamoDB cache; return both results. */
	private String[] onBoth(String script) {
		return new String[] { run(script, this.ram), run(script, this.dynamo) };
	}

	private String run(String script, String cache) {
		String application = LuceeEngine.applicationWithRamAndDynamoDb("dynamodbConformance", this.ram, this.dynamo,
				"lucee-conformance");
		return String.valueOf(LuceeEngine.eval(application + DESCRIBE + script.replace("CACHE", "\"" + cache + "\"")));
	}

	private void assertSameOnBoth(String script) {
		String[] results = onBoth(script);
		assertThat(results[1]).as("DynamoDB cache against RamCache").isEqualTo(results[0]);
	}

	@Test
	void everyCfmlValueTypeComesBackAsRamCacheGivesIt() {
		assertSameOnBoth("""
				cs = structNew("casesensitive"); cs["a"] = 1; cs["A"] = 2; cs["b"] = [cs["a"]];
				ocs = structNew("ordered-casesensitive"); ocs["Zeta"] = 1; ocs["zeta"] = 2; ocs["alpha"] = 3;
				ordered = structNew("ordered"); ordered["Zeta"] = 1; ordered["alpha"] = 2; ordered["Mid"] = 3;
				digits = structNew("casesensitive"); digits["1"] = "one";
				values = [
					"text", "héllo ✓ 𝄞", "", repeatString("long ", 2000), "yes", "007",
					42, 12.75, -0.5, 1e300, javaCast("int", 7), javaCast("long", 9007199254740993),
					javaCast("float", 1.5), javaCast("short", 3), javaCast("byte", -4), javaCast("double", 0.1),
					javaCast("bigdecimal", "1.10"), javaCast("biginteger", "123456789012345678901234567890"),
					true, false,
					createDateTime(2026, 11, 23, 10, 15, 30, 123), createDate(1969, 7, 20), createDateTime(2000, 2, 29, 23, 59, 59, 999),
					createTimeSpan(0, 0, 0, 1, 500), createTimeSpan(1, 2, 3, 4), createTimeSpan(0, 0, 0, 0),
					charsetDecode("binary data", "utf-8"), charsetDecode("", "utf-8"),
					{ "CamelCase": { "deep": [1, "two", { "x": false }] }, "empty": {} }, {}, [], [[], [[]]],
					cs, ocs, ordered, digits,
					queryNew("id,name,born,score", "integer,varchar,date,double",
						[[1, "Alice", createDate(1990, 1, 2), 1.5], [2, "Bob", createDate(1985, 3, 4), 2]]),
					queryNew("empty", "varchar"),
					xmlParse("<a><b x=""1"">1</b><c/></a>"), xmlParse("<A><b>1</b></A>", true)
				];
				out = [];
				for (i = 1; i <= arrayLen(values); i++) {
					cachePut(id="value" & i, value=values[i], cacheName=CACHE);
					got = cacheGet(id="value" & i, cacheName=CACHE);
					arrayAppend(out, i & ": " & describe(got) & " equals=" & (isBinary(got) || objectEquals(values[i], got)));
				}
				return arrayToList(out, chr(10));
				""");
	}

	@Test
	void nullsInsideStructsArraysAndQueriesComeBackAsNulls() {
		assertSameOnBoth("""
				s = { "present": 1 }; s["missing"] = nullValue();
				a = [1]; a[3] = 3;
				q = queryNew("id,name", "integer,varchar"); queryAddRow(q); querySetCell(q, "id", 1);
				out = [];
				for (v in [s, a, q]) {
					cachePut(id="holder", value=v, cacheName=CACHE);
					arrayAppend(out, describe(cacheGet(id="holder", cacheName=CACHE)));
				}
				return arrayToList(out, chr(10));
				""");
	}

	@Test
	void keysAreCaseInsensitiveAndAnyTextIsAKey() {
		assertSameOnBoth("""
				keys = ["Mixed.Case", "with space", "colon:and/slash", "star*and?mark", "ünïcödé ✓", "hash##tag", repeatString("k", 2000)];
				out = [];
				for (k in keys) {
					cachePut(id=k, value=k, cacheName=CACHE);
					arrayAppend(out, (cacheGet(id=uCase(k), cacheName=CACHE) == k) & "/" & cacheIdExists(lCase(k), CACHE));
				}
				ids = cacheGetAllIds(cacheName=CACHE);
				arraySort(ids, "text");
				return arrayToList(out) & chr(10) & arrayToList(ids, "|");
				""");
	}

	@Test
	void everyCacheFunctionAgrees() {
		assertSameOnBoth("""
				out = [];
				function note(label, value) { arrayAppend(out, label & "=" & (isNull(arguments.value) ? "null" : describe(value))); }
				for (i = 1; i <= 5; i++) cachePut(id="user_" & i, value={ "n": i }, cacheName=CACHE);
				cachePut(id="other", value="x", cacheName=CACHE);
				note("count", cacheCount(CACHE));
				ids = cacheGetAllIds(cacheName=CACHE); arraySort(ids, "text"); note("ids", ids);
				ids = cacheGetAllIds("user_*", CACHE); arraySort(ids, "text"); note("filteredIds", ids);
				all = cacheGetAll("user_*", CACHE); keys = structKeyArray(all); arraySort(keys, "text");
				note("getAllKeys", keys); note("getAllValue", all["USER_3"]);
				note("idExists", cacheIdExists("user_1", CACHE)); note("keyExists", cacheKeyExists("user_1", CACHE));
				note("notExists", cacheIdExists("nobody", CACHE));
				note("getDefault", cacheGet("nobody", false, CACHE));
				try { cacheGet(id="nobody", throwWhenNotExist=true, cacheName=CACHE); note("getThrows", false); }
				catch (any e) { note("getThrows", true); }
				cacheDelete("user_1", false, CACHE);
				note("afterDelete", cacheIdExists("user_1", CACHE));
				try { cacheDelete("user_1", true, CACHE); note("deleteMissingThrows", false); }
				catch (any e) { note("deleteMissingThrows", true); }
				cacheRemove("user_2,user_3", false, CACHE);
				cacheRemove(["user_4"], false, CACHE);
				note("afterRemove", cacheCount(CACHE));
				try { cacheRemove("nobody", true, CACHE); note("removeMissingThrows", false); }
				catch (any e) { note("removeMissingThrows", true); }
				cachePut(id="user_9", value=9, cacheName=CACHE);
				cacheClear("user_*", CACHE);
				ids = cacheGetAllIds(cacheName=CACHE); arraySort(ids, "text"); note("afterFilteredClear", ids);
				cacheClear("", CACHE);
				note("afterClear", cacheCount(CACHE));
				cachePut(id="again", value=1, cacheName=CACHE);
				cacheRemoveAll(CACHE);
				note("afterRemoveAll", cacheCount(CACHE));
				return arrayToList(out, chr(10));
				""");
	}

	@Test
	void metadataHasTheSameFieldsAndKeepsTheCreationTimeAcrossOverwrites() {
		assertSameOnBoth("""
				cachePut(id="meta", value="first", timeSpan=createTimeSpan(0,0,10,0), idleTime=createTimeSpan(0,0,5,0), cacheName=CACHE);
				first = cacheGetMetadata("meta", CACHE);
				sleep(1100);
				cachePut(id="meta", value="second", timeSpan=createTimeSpan(0,0,10,0), cacheName=CACHE);
				second = cacheGetMetadata("meta", CACHE);
				keys = structKeyArray(second); arraySort(keys, "text");
				return arrayToList(keys) & chr(10)
					& "timespan=" & first.timespan & " idletime=" & first.idletime & chr(10)
					& "createdKept=" & (dateCompare(first.createdtime, second.createdtime, "s") == 0) & chr(10)
					& "updatedMoved=" & (dateCompare(second.lastupdated, first.lastupdated, "s") == 1);
				""");
	}

	@Test
	void entriesExpireAfterTheirTimeToLiveAndTheirIdleTime() {
		assertSameOnBoth("""
				cachePut(id="live", value=1, timeSpan=createTimeSpan(0,0,0,1), cacheName=CACHE);
				cachePut(id="idle", value=2, timeSpan=createTimeSpan(0,0,10,0), idleTime=createTimeSpan(0,0,0,1), cacheName=CACHE);
				cachePut(id="forever", value=3, timeSpan=createTimeSpan(0,0,0,0), cacheName=CACHE);
				before = cacheIdExists("live", CACHE) & "/" & cacheIdExists("idle", CACHE);
				sleep(1300);
				after = cacheIdExists("live", CACHE) & "/" & isNull(cacheGet("live", false, CACHE))
					& "/" & cacheIdExists("idle", CACHE) & "/" & cacheGet("forever", false, CACHE);
				ids = cacheGetAllIds(cacheName=CACHE); arraySort(ids, "text");
				return before & " " & after & " " & arrayToList(ids) & " count=" & cacheCount(CACHE);
				""");
	}

	@Test
	void concurrentWritersFromEightThreadsLoseNothing() {
		String[] results = onBoth(LuceeEngine.JOIN_THREADS + """
				// Use the connection once first: Lucee 6.2 may give each thread its own instance of a connection
				// that concurrent threads use first, and RamCache instances then lose each other's writes.
				cacheCount(CACHE);
				names = [];
				for (t = 1; t <= 8; t++) {
					name = "writer" & t & "_" & createUUID();
					arrayAppend(names, name);
					thread name=name action="run" t=t cache=CACHE {
						for (i = 1; i <= 20; i++) {
							cachePut(id="t" & attributes.t & "_" & i, value={ "t": attributes.t, "i": i }, cacheName=attributes.cache);
							cachePut(id="shared", value=attributes.t, cacheName=attributes.cache);
						}
					}
				}
				joinThreads(names);
				wrong = 0;
				missing = [];
				for (t = 1; t <= 8; t++) for (i = 1; i <= 20; i++) {
					v = cacheGet(id="t" & t & "_" & i, throwWhenNotExist=false, cacheName=CACHE);
					if (isNull(v)) arrayAppend(missing, t & "_" & i);
					else if (v.t != t || v.i != i) wrong++;
				}
				shared = cacheGet(id="shared", cacheName=CACHE);
				return "count=" & cacheCount(CACHE) & " wrong=" & wrong & " missing=" & arrayToList(missing) & " sharedIsOneOfThem=" & (shared >= 1 && shared <= 8);
				""");

		assertThat(results[0]).isEqualTo("count=161 wrong=0 missing= sharedIsOneOfThem=true");
		assertThat(results[1]).isEqualTo(results[0]);
	}

	@Test
	void remainingDifferencesAreCopySemanticsAndTheTimeSpanOfAnOverwrite() {
		String[] results = onBoth("""
				bytes = charsetDecode("abc", "utf-8");
				cachePut(id="bytes", value=bytes, cacheName=CACHE);
				s = { "n": 1 };
				cachePut(id="struct", value=s, cacheName=CACHE);
				s.n = 2;
				return "sameBinaryInstance=" & objectEquals(bytes, cacheGet(id="bytes", cacheName=CACHE))
					& " changeAfterPutVisible=" & (cacheGet(id="struct", cacheName=CACHE).n == 2);
				""");

		// RamCache hands out the very instance that was put; DynamoDB stores a copy.
		assertThat(results[0]).isEqualTo("sameBinaryInstance=true changeAfterPutVisible=true");
		assertThat(results[1]).isEqualTo("sameBinaryInstance=false changeAfterPutVisible=false");

		String[] overwrites = onBoth("""
				cachePut(id="span", value=1, timeSpan=createTimeSpan(0,0,10,0), cacheName=CACHE);
				cachePut(id="span", value=2, timeSpan=createTimeSpan(0,0,20,0), cacheName=CACHE);
				return numberFormat(cacheGetMetadata("span", CACHE).timespan, "0");
				""");
		// RamCache keeps the time span of an entry's first put when it is overwritten; this cache takes each
		// put's own (servers that overwrite a key cannot know what another server first put without a read).
		assertThat(overwrites[0]).isEqualTo("600000");
		assertThat(overwrites[1]).isEqualTo("1200000");
	}

	@Test
	void aValueOver400KbWithOnlyAnIdleTimeAlsoExpires24IdlePeriodsAfterItsPut() {
		String[] results = onBoth("""
				bytes = createObject("java", "java.nio.ByteBuffer").allocate(600 * 1024).array();
				createObject("java", "java.util.Random").init(javaCast("long", 7)).nextBytes(bytes);
				large = toBase64(bytes);
				cachePut(id="large", value=large, idleTime=createTimeSpan(0,2,0,0), cacheName=CACHE);
				meta = cacheGetMetadata("large", CACHE);
				return "same=" & (cacheGet(id="large", cacheName=CACHE) == large)
					& " timespan=" & numberFormat(meta.timespan, "0") & " idletime=" & numberFormat(meta.idletime, "0");
				""");

		// Its chunks need a TTL, and sliding them with every read would rewrite the whole value (issue 22).
		assertThat(results[0]).isEqualTo("same=true timespan=0 idletime=7200000");
		assertThat(results[1]).isEqualTo("same=true timespan=172800000 idletime=7200000");
	}

}
