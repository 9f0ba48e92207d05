package io.dynamodbcache.lucee;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The use cases of the Lucee DynamoDB cache documentation, run as written there (with the cache name of
 * this test's connection), against DynamoDB Local.
 */
class SeedExamplesTests {

	private static final AtomicInteger CONNECTIONS = new AtomicInteger();

	private String cache;

	@BeforeEach
	void newCacheConnection() {
		this.cache = "seed" + CONNECTIONS.incrementAndGet();
	}

	private Object cfml(String script) {
		// The documentation's snippets live in functions; at the top level of a script "var" is not allowed.
		String topLevel = script.replaceAll("(?m)^var ", "").replaceAll("(?m)^for \\(var ", "for (");
		return LuceeEngine.evalWithCache("dynamodbSeedExamples", this.cache,
				LuceeEngine.customSettings("lucee-seed", ""), topLevel.replace("\"dynamo\"", "\"" + this.cache + "\""));
	}

	@Test
	void sessionDataWithExpiry() {
		Object result = cfml("""
				cachePut(id="user_session_123", value="active", cacheName="dynamo");
				var userData = { "name": "John Doe", "email": "john@example.com",
					"preferences": { "theme": "dark", "notifications": true } };
				cachePut(id="user_profile_456", value=userData, cacheName="dynamo");
				cachePut(id="temporary_token", value="abc123xyz", timeSpan=createTimeSpan(0,0,5,0), cacheName="dynamo");
				var sessionData = cacheGet(id="user_session_123", cacheName="dynamo");
				var profile = cacheGet(id="user_profile_456", throwWhenNotExist=false, cacheName="dynamo");
				var exists = cacheIdExists(id="user_session_123", cacheName="dynamo");
				cacheDelete(id="user_session_123", cacheName="dynamo");
				return sessionData & "|" & profile.preferences.theme & "|" & profile.preferences.notifications & "|"
					& exists & "|" & cacheIdExists(id="user_session_123", cacheName="dynamo") & "|"
					& cacheGetMetadata(id="temporary_token", cacheName="dynamo").timespan;
				""");

		assertThat(result).isEqualTo("active|dark|true|true|false|300000");
	}

	@Test
	void apiRateLimiting() {
		Object result = cfml("""
				function checkRateLimit(apiKey, maxRequests=100, timeWindow=3600) {
					var cacheKey = "ratelimit_" & hash(apiKey);
					var requests = cacheGet(id=cacheKey, throwWhenNotExist=false, cacheName="dynamo");
					if (isNull(requests)) {
						cachePut(id=cacheKey, value=1, timeSpan=createTimeSpan(0,0,0,timeWindow), cacheName="dynamo");
						return true;
					}
					if (requests >= maxRequests) {
						return false;
					}
					cachePut(id=cacheKey, value=requests + 1, timeSpan=createTimeSpan(0,0,0,timeWindow), cacheName="dynamo");
					return true;
				}
				var outcomes = [];
				for (var i = 1; i <= 5; i++) { arrayAppend(outcomes, checkRateLimit("key-1", 3)); }
				return arrayToList(outcomes);
				""");

		assertThat(result).isEqualTo("true,true,true,false,false");
	}

	@Test
	void queryResultCaching() {
		Object result = cfml("""
				var source = queryNew("id,name", "integer,varchar", [[1, "Alice"], [2, "Bob"], [3, "Carol"]]);
				var executions = 0;
				function getCachedQueryResults(sql, cacheMinutes=15) {
					var cacheKey = "query_" & hash(sql);
					var results = cacheGet(id=cacheKey, throwWhenNotExist=false, cacheName="dynamo");
					if (!isNull(results)) {
						return results;
					}
					executions++;
					// The documentation runs queryExecute(sql) on a datasource; this test's "database" is a filter.
					results = queryFilter(source, function(row) { return row.id > 1; });
					cachePut(id=cacheKey, value=results, timeSpan=createTimeSpan(0,0,cacheMinutes,0), cacheName="dynamo");
					return results;
				}
				var first = getCachedQueryResults("SELECT id, name FROM source WHERE id > 1 ORDER BY id");
				var second = getCachedQueryResults("SELECT id, name FROM source WHERE id > 1 ORDER BY id");
				return executions & "|" & second.recordCount & "|" & second.name[1] & "," & second.name[2] & "|"
					& isQuery(second);
				""");

		assertThat(result).isEqualTo("1|2|Bob,Carol|true");
	}

	@Test
	void distributedLock() {
		Object result = cfml("""
				function acquireLock(resourceName, timeout=30) {
					var lockKey = "lock_" & resourceName;
					var lockValue = createUUID();
					try {
						cachePut(id=lockKey, value=lockValue, timeSpan=createTimeSpan(0,0,0,timeout), cacheName="dynamo");
						return lockValue;
					} catch (any e) {
						return "";
					}
				}
				function releaseLock(resourceName, lockValue) {
					var lockKey = "lock_" & resourceName;
					var currentValue = cacheGet(id=lockKey, throwWhenNotExist=false, cacheName="dynamo");
					if (!isNull(currentValue) && currentValue == lockValue) {
						cacheDelete(id=lockKey, cacheName="dynamo");
						return true;
					}
					return false;
				}
				var token = acquireLock("report");
				var wrongRelease = releaseLock("report", "not-the-owner");
				var held = cacheIdExists(id="lock_report", cacheName="dynamo");
				var rightRelease = releaseLock("report", token);
				return len(token) & "|" & wrongRelease & "|" & held & "|" & rightRelease & "|"
					& cacheIdExists(id="lock_report", cacheName="dynamo");
				""");

		assertThat(result).isEqualTo("35|false|true|true|false");
	}

	@Test
	void warmCacheAndMultiItemOperations() {
		Object result = cfml("""
				var criticalData = queryNew("id,label", "integer,varchar",
					[[1, "one"], [2, "two"], [3, "three"], [4, "four"]]);
				loop query=criticalData {
					cachePut(id="warm_" & criticalData.id, value={ "label": criticalData.label }, cacheName="dynamo");
				}
				cachePut(id="user_1", value={ "name": "Ann" }, cacheName="dynamo");
				cachePut(id="user_2", value={ "name": "Ben" }, cacheName="dynamo");
				var userData = cacheGetAll(filter="user_*", cacheName="dynamo");
				var warmIds = cacheGetAllIds(filter="warm_*", cacheName="dynamo");
				arraySort(warmIds, "text");
				var total = cacheCount(cacheName="dynamo");
				cacheClear(filter="warm_*", cacheName="dynamo");
				return structCount(userData) & "|" & userData.USER_1.name & "|" & arrayToList(warmIds) & "|" & total & "|"
					& cacheCount(cacheName="dynamo");
				""");

		assertThat(result).isEqualTo("2|Ann|WARM_1,WARM_2,WARM_3,WARM_4|6|2");
	}

	@Test
	void metadataCountsHits() {
		Object result = cfml("""
				cachePut(id="popular_item", value="x", cacheName="dynamo");
				for (var i = 1; i <= 3; i++) { cacheGet(id="popular_item", cacheName="dynamo"); }
				var metadata = cacheGetMetadata(id="popular_item", cacheName="dynamo");
				return metadata.hitCount;
				""");

		// Three reads, plus the read cacheGetMetadata itself makes.
		assertThat(((Number) result).intValue()).isEqualTo(4);
	}

}
