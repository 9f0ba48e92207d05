package io.dynamodbcache.lucee;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.ValueCodec;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.FaultProxy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lucee's standard cache functions, run as CFML in a real Lucee engine against DynamoDB Local.
 */
class LuceeCacheTests {

	private static final AtomicInteger CONNECTIONS = new AtomicInteger();

	private String cache;

	@BeforeEach
	void newCacheConnection() {
		this.cache = "dynamo" + CONNECTIONS.incrementAndGet();
	}

	/** Run CFML in an application whose cache connection {@code this.cache} points at DynamoDB Local. */
	private Object cfml(String script) {
		return cfmlWith(LuceeEngine.customSettings("lucee-tests", "log: \"application\""), script);
	}

	private Object cfmlWith(String custom, String script) {
		return LuceeEngine.evalWithCache("dynamodbCacheTests", this.cache, custom,
				script.replace("CACHE", "\"" + this.cache + "\""));
	}

	@Test
	void runsOnTheLuceeVersionTheBuildSelected() {
		assertThat(LuceeEngine.eval("return server.lucee.version;"))
			.isEqualTo(System.getProperty("lucee.expected.version"));
	}

	@Test
	void valuesRoundTripWithTheirCfmlTypes() {
		Object result = cfml("""
				ordered = structNew("ordered");
				ordered["Zeta"] = 1; ordered["alpha"] = 2; ordered["Mid"] = 3;
				values = {
					"text": "héllo ✓",
					"integer": 42,
					"decimal": 12.75,
					"flag": true,
					"when": createDateTime(2026, 11, 23, 10, 15, 30),
					"nested": { "CamelCase": { "deep": [1, "two", { "x": false }] } },
					"ordered": ordered,
					"list": [1, "two", 3.5, [4]],
					"bytes": charsetDecode("binary data", "utf-8"),
					"rows": queryNew("id,name", "integer,varchar", [[1, "Alice"], [2, "Bob"]])
				};
				values["long"] = 5;
				values["int"] = javaCast("int", 7);
				values["bigdecimal"] = javaCast("bigdecimal", "1.10");
				for (k in values) { cachePut(id=k, value=values[k], cacheName=CACHE); }
				out = [];
				for (k in values) {
					v = cacheGet(id=k, cacheName=CACHE);
					arrayAppend(out, k & "=" & values[k].getClass().getName() & ">" & v.getClass().getName());
				}
				back = cacheGet(id="ordered", cacheName=CACHE);
				q = cacheGet(id="rows", cacheName=CACHE);
				nested = cacheGet(id="nested", cacheName=CACHE);
				return arrayToList(out, "|")
					& "||text:" & cacheGet(id="text", cacheName=CACHE)
					& "||integer:" & cacheGet(id="integer", cacheName=CACHE)
					& "||decimal:" & cacheGet(id="decimal", cacheName=CACHE)
					& "||flag:" & cacheGet(id="flag", cacheName=CACHE)
					& "||when:" & dateTimeFormat(cacheGet(id="when", cacheName=CACHE), "yyyy-mm-dd HH:nn:ss")
					& "||order:" & structKeyList(back)
					& "||nestedKeys:" & structKeyList(nested) & "/" & structKeyList(nested.CamelCase)
					& "||deep:" & serializeJSON(nested.CamelCase.deep)
					& "||list:" & serializeJSON(cacheGet(id="list", cacheName=CACHE))
					& "||bytes:" & charsetEncode(cacheGet(id="bytes", cacheName=CACHE), "utf-8")
					& "||query:" & q.recordCount & ":" & q.columnList & ":" & q.name[2] & ":" & q.id[1]
					& ":" & isQuery(q);
				""");

		String text = (String) result;
		String types = text.substring(0, text.indexOf("||"));
		assertThat(types.split("\\|")).hasSize(13).allSatisfy((type) -> {
			String[] inOut = type.substring(type.indexOf('=') + 1).split(">");
			assertThat(inOut[1]).as(type).isEqualTo(inOut[0]);
		});
		assertThat(types).contains("long=java.lang.Long>", "int=java.lang.Integer>", "decimal=java.lang.Double>",
				"bigdecimal=java.math.BigDecimal>", "flag=java.lang.Boolean>", "bytes=[B>", "rows=lucee.runtime.type.QueryImpl>");
		assertThat(text).contains("||text:héllo ✓", "||integer:42", "||decimal:12.75", "||flag:true",
				"||when:2026-11-23 10:15:30", "||order:Zeta,alpha,Mid", "||nestedKeys:CamelCase/deep",
				"||deep:[1,\"two\",{\"x\":false}]", "||list:[1,\"two\",3.5,[4]]", "||bytes:binary data",
				"||query:2:ID,NAME:Bob:1:true");
	}

	@Test
	void getWithAndWithoutThrowWhenNotExist() {
		assertThat(cfml("return isNull(cacheGet(id=\"absent\", throwWhenNotExist=false, cacheName=CACHE));"))
			.isEqualTo(true);
		assertThatExceptionOfType(LuceeEngine.CfmlException.class)
			.isThrownBy(() -> cfml("cacheGet(id=\"absent\", throwWhenNotExist=true, cacheName=CACHE);"))
			.withMessageContaining("ABSENT");
	}

	@Test
	void existsDeleteAndRemoveIncludingArraysOfIds() {
		Object result = cfml("""
				for (i = 1; i <= 5; i++) { cachePut(id="item" & i, value=i, cacheName=CACHE); }
				before = cacheIdExists(id="item1", cacheName=CACHE) & "," & cacheKeyExists(key="item2", cacheName=CACHE);
				cacheDelete(id="item1", cacheName=CACHE);
				cacheRemove(ids=["item2", "item3"], cacheName=CACHE);
				cacheRemove(ids="item4", cacheName=CACHE);
				ids = cacheGetAllIds(cacheName=CACHE);
				return before & "|" & cacheIdExists(id="item1", cacheName=CACHE) & "|" & arrayToList(ids);
				""");

		assertThat(result).isEqualTo("true,true|false|ITEM5");
	}

	@Test
	void clearWithAndWithoutFilterIsCaseInsensitive() {
		Object result = cfml("""
				cachePut(id="user_session_1", value="a", cacheName=CACHE);
				cachePut(id="USER_SESSION_2", value="b", cacheName=CACHE);
				cachePut(id="config", value="c", cacheName=CACHE);
				cacheClear(filter="user_session_*", cacheName=CACHE);
				afterFilter = arrayToList(cacheGetAllIds(cacheName=CACHE));
				cachePut(id="other", value="d", cacheName=CACHE);
				cacheClear(cacheName=CACHE);
				return afterFilter & "|" & cacheCount(cacheName=CACHE);
				""");

		assertThat(result).isEqualTo("CONFIG|0");
	}

	@Test
	void idsValuesAndCountWithFilters() {
		Object result = cfml("""
				cachePut(id="user_1", value={ "name": "Ann" }, cacheName=CACHE);
				cachePut(id="user_2", value={ "name": "Bob" }, cacheName=CACHE);
				cachePut(id="product_1", value="Widget", cacheName=CACHE);
				users = cacheGetAll(filter="user_*", cacheName=CACHE);
				ids = cacheGetAllIds(filter="user_*", cacheName=CACHE);
				arraySort(ids, "text");
				keys = structKeyArray(users);
				arraySort(keys, "text");
				return cacheCount(cacheName=CACHE) & "|" & arrayToList(ids) & "|" & arrayToList(keys) & "|"
					& users.USER_2.name;
				""");

		assertThat(result).isEqualTo("3|USER_1,USER_2|USER_1,USER_2|Bob");
	}

	@Test
	void timeSpanExpiresEntries() {
		Object result = cfml("""
				cachePut(id="token", value="abc", timeSpan=createTimeSpan(0, 0, 0, 1), cacheName=CACHE);
				cachePut(id="forever", value="x", cacheName=CACHE);
				before = cacheIdExists(id="token", cacheName=CACHE);
				sleep(1200);
				return before & "|" & cacheIdExists(id="token", cacheName=CACHE) & "|"
					& isNull(cacheGet(id="token", throwWhenNotExist=false, cacheName=CACHE)) & "|"
					& cacheCount(cacheName=CACHE);
				""");

		assertThat(result).isEqualTo("true|false|true|1");
	}

	@Test
	void idleTimeSlidesWithReads() {
		Object result = cfml("""
				cachePut(id="session", value="s", timeSpan=createTimeSpan(0, 0, 1, 0),
					idleTime=createTimeSpan(0, 0, 0, 1), cacheName=CACHE);
				reads = "";
				for (i = 1; i <= 3; i++) {
					sleep(600);
					reads &= cacheGet(id="session", throwWhenNotExist=false, cacheName=CACHE);
				}
				sleep(1300);
				return reads & "|" & isNull(cacheGet(id="session", throwWhenNotExist=false, cacheName=CACHE));
				""");

		assertThat(result).isEqualTo("sss|true");
	}

	@Test
	void metadataAndPropertiesDescribeEntriesAndTheCache() {
		Object result = cfml("""
				cachePut(id="profile", value={ "a": 1 }, timeSpan=createTimeSpan(0, 1, 0, 0),
					idleTime=createTimeSpan(0, 0, 30, 0), cacheName=CACHE);
				cacheGet(id="profile", cacheName=CACHE);
				cacheGet(id="nope", throwWhenNotExist=false, cacheName=CACHE);
				meta = cacheGetMetadata(id="profile", cacheName=CACHE);
				props = cacheGetProperties(CACHE);
				return structKeyList(meta) & "|" & meta.timespan & "|" & meta.idletime & "|" & (meta.size > 0) & "|"
					& (meta.hitcount >= 1) & "|" & isDate(meta.createdtime) & "|" & isDate(meta.lasthit) & "|"
					& (meta.cache_misscount >= 1) & "|" & props[1].table;
				""");

		String text = (String) result;
		for (String key : new String[] { "hitcount", "lasthit", "lastupdated", "createdtime", "timespan", "idletime",
				"size", "cache_hitcount", "cache_misscount" }) {
			assertThat(text.substring(0, text.indexOf('|')).toLowerCase()).contains(key);
		}
		assertThat(text.substring(text.indexOf('|'))).isEqualTo("|3600000|1800000|true|true|true|true|true|lucee-tests");
	}

	@Test
	void nullValuesAreCached() {
		Object result = cfml("""
				cachePut(id="nothing", value=nullValue(), cacheName=CACHE);
				return cacheIdExists(id="nothing", cacheName=CACHE) & "|"
					& isNull(cacheGet(id="nothing", throwWhenNotExist=false, cacheName=CACHE));
				""");

		assertThat(result).isEqualTo("true|true");
	}

	@Test
	void objectsWithoutASafeStoredFormAreRefusedWithAClearError() {
		assertThatExceptionOfType(LuceeEngine.CfmlException.class)
			.isThrownBy(() -> cfml("""
					cachePut(id="obj", value=createObject("java", "java.lang.StringBuilder").init("x"), cacheName=CACHE);
					"""))
			.withMessageContaining("java.lang.StringBuilder cannot be cached")
			.withMessageContaining("structs, arrays or queries");
		assertThat(cfml("return cacheIdExists(id=\"obj\", cacheName=CACHE);")).isEqualTo(false);
	}

	/**
	 * Items another writer left in the table that name a class, at the top or inside one of Lucee's own cache
	 * items: each read is a miss and evicts the item. (The codec never loads a class named by the bytes: the
	 * tag chooses among the classes named in its code.)
	 */
	@Test
	void storedValuesNamingAClassAreAMissAndAreEvicted() {
		ValueCodec raw = new ValueCodec() {
			@Override
			public byte[] encode(Object value) {
				return ((String) value).getBytes(StandardCharsets.UTF_8);
			}

			@Override
			public Object decode(byte[] bytes) {
				return new String(bytes, StandardCharsets.UTF_8);
			}
		};
		DynamoDbCacheStore writer = DynamoDbCacheStore.builder(DynamoDbLocal.shared().client()).tableName("lucee-tests")
			.shards(16).codec(raw).build();
		List<String> hostile = List.of("{\"class\":\"java.lang.ProcessBuilder\"}",
				"{\"functionItem\":{\"output\":\"\",\"returnValue\":{\"class\":\"java.lang.Runtime\"}}}",
				"{\"queryItem\":{\"query\":{\"class\":\"javax.naming.InitialContext\"},\"tags\":[]}}",
				"{\"httpItem\":{\"data\":{\"struct\":[[\"x\",{\"class\":\"java.lang.ProcessBuilder\"}]]}}}");
		cfml("cachePut(id=\"warm\", value=1, cacheName=CACHE);");
		for (int i = 0; i < hostile.size(); i++) {
			writer.put(this.cache, "HOSTILE_" + i, hostile.get(i));
		}

		Object misses = cfml("""
				misses = 0;
				for (i = 0; i < 4; i++) {
					if (isNull(cacheGet(id="hostile_" & i, throwWhenNotExist=false, cacheName=CACHE))) misses++;
				}
				return misses;
				""");

		assertThat(((Number) misses).intValue()).isEqualTo(4);
		for (int i = 0; i < hostile.size(); i++) {
			assertThat(writer.getEntry(this.cache, "HOSTILE_" + i)).as("evicted: " + hostile.get(i)).isNull();
		}
	}

	@Test
	void serverWideConnectionFromCfConfigJsonWorks() {
		Object result = LuceeEngine.eval("""
				cachePut(id="from_config", value="configured", cacheName="%1$s");
				return cacheGet(id="from_config", cacheName="%1$s") & "|" & cacheGetProperties("%1$s")[1].table;
				""".formatted(LuceeEngine.SERVER_CACHE));

		assertThat(result).isEqualTo("configured|lucee-server-config");
	}

	@Test
	void unreachableDynamoDbIsAReadableErrorOrAMiss() {
		DynamoDbLocal stopped = DynamoDbLocal.start();
		URI endpoint = stopped.endpoint();
		stopped.stop();
		String custom = "{ host: \"" + endpoint + "\", accessKeyId: \"dynamodbcache\", secretkey: \"local\", "
				+ "tableName: \"lucee-down\", liveTimeout: 2000 }";

		assertThat(cfmlWith(custom, """
				cachePut(id="k", value="v", cacheName=CACHE);
				return isNull(cacheGet(id="k", throwWhenNotExist=false, cacheName=CACHE));
				""")).isEqualTo(true);
		// The key is shown as a fingerprint (session storage's keys hold session ids), unless logKeys asks for it.
		assertThatExceptionOfType(LuceeEngine.CfmlException.class)
			.isThrownBy(() -> cfmlWith(custom, "cacheGet(id=\"k\", throwWhenNotExist=true, cacheName=CACHE);"))
			.withMessageMatching("(?s).*could not read key #[0-9a-f]{10} from DynamoDB table \\[lucee-down\\].*")
			.withMessageNotContaining("key [K]");
		String logsKeys = custom.replace("liveTimeout: 2000", "liveTimeout: 2000, logKeys: true");
		assertThatExceptionOfType(LuceeEngine.CfmlException.class)
			.isThrownBy(() -> cfmlWith(logsKeys, "cacheGet(id=\"k\", throwWhenNotExist=true, cacheName=CACHE);"))
			.withMessageContaining("could not read key 'K'");
	}

	@Test
	void aRemoveOrClearThatDynamoDbDoesNotConfirmFailsThePageAndTheValueNeverComesBack() {
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint())) {
			String custom = "{ host: \"" + proxy.endpoint() + "\", accessKeyId: \"dynamodbcache\", "
					+ "secretkey: \"local\", tableName: \"lucee-evict-fault\", liveTimeout: 900, attemptTimeout: 500 }";
			cfmlWith(custom, "cachePut(id=\"gone\", value=\"old\", cacheName=CACHE); "
					+ "cachePut(id=\"cleared\", value=\"old\", cacheName=CACHE);");
			proxy.blackHole();

			assertThatExceptionOfType(LuceeEngine.CfmlException.class)
				.isThrownBy(() -> cfmlWith(custom, "cacheRemove(ids=\"gone\", throwOnError=true, cacheName=CACHE);"))
				.withMessageContaining("did not confirm");
			assertThatExceptionOfType(LuceeEngine.CfmlException.class)
				.isThrownBy(() -> cfmlWith(custom, "cacheClear(filter=\"clear*\", cacheName=CACHE);"))
				.withMessageContaining("did not confirm");
			proxy.passThrough();

			String read = "return (isNull(cacheGet(id=\"gone\", throwWhenNotExist=false, cacheName=CACHE)) ? \"miss\" : \"hit\")"
					+ " & (isNull(cacheGet(id=\"cleared\", throwWhenNotExist=false, cacheName=CACHE)) ? \"miss\" : \"hit\");";
			assertThat(cfmlWith(custom, read)).isEqualTo("missmiss");
			// The retries land once the breaker lets requests through; the values stay gone after that.
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> Boolean.TRUE.equals(cfmlWith(custom, "return cacheCount(cacheName=CACHE) == 0;")));
			assertThat(cfmlWith(custom, read)).isEqualTo("missmiss");
		}
	}

	@Test
	void aDynamoDbThatNeverAnswersCostsACallItsBudgetAndThenNothing() {
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint())) {
			String custom = "{ host: \"" + proxy.endpoint() + "\", accessKeyId: \"dynamodbcache\", "
					+ "secretkey: \"local\", tableName: \"lucee-fault\", liveTimeout: 900, attemptTimeout: 500 }";
			assertThat(cfmlWith(custom, "cachePut(id=\"k\", value=\"v\", cacheName=CACHE); "
					+ "return cacheGet(id=\"k\", cacheName=CACHE);")).isEqualTo("v");
			proxy.blackHole();

			Object timings = cfmlWith(custom, """
					ms = [];
					for (i = 1; i <= 12; i++) {
						start = getTickCount();
						cachePut(id="k" & i, value="v", cacheName=CACHE);
						found = cacheGet(id="k", throwWhenNotExist=false, cacheName=CACHE);
						arrayAppend(ms, getTickCount() - start);
					}
					return arrayToList(ms);
					""");

			// Each put and get costs at most its 1 s budget; once the breaker is open, next to nothing.
			List<Long> millis = Arrays.stream(timings.toString().split(",")).map(Long::valueOf).toList();
			assertThat(millis).hasSize(12).allSatisfy((ms) -> assertThat(ms).isLessThan(3500));
			assertThat(millis.subList(8, 12)).allSatisfy((ms) -> assertThat(ms).isLessThan(100));
		}
	}

}
