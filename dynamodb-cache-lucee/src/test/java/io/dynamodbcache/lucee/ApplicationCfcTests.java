package io.dynamodbcache.lucee;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache configured the way Lucee applications usually do it, and as the README shows it:
 * {@code this.cache.connections} in an Application.cfc, used by real page requests, including session
 * storage in DynamoDB.
 */
class ApplicationCfcTests {

	private static Path webroot;

	@BeforeAll
	static void writeApplication() throws Exception {
		LuceeEngine.get();
		// Lucee's JSR-223 web context serves pages from the working directory (Surefire: target/webroot).
		webroot = Path.of("").toAbsolutePath();
		String host = DynamoDbLocal.shared().endpoint().toString();
		// The README's connection as written there, pointed at DynamoDB Local.
		String connection = ReadmeCode.blockAfter("Configure a connection in `Application.cfc`:")
			.replace("custom: {", "custom: { host: \"" + host + "\", accessKeyId: \"dynamodbcache\", secretkey: \"local\",");
		// And the README's lines that make it the default cache of Lucee's function and include caching.
		String ownCaches = ReadmeCode
			.blockAfter("Lucee's function, include, query, HTTP and page caching can use the connection");
		Files.writeString(webroot.resolve("Application.cfc"), """
				component {
					this.name = "dynamodbCacheApp";
					this.sessionManagement = true;
					this.sessionTimeout = createTimeSpan(0, 0, 30, 0);
				%s
				%s
				}
				""".formatted(connection, ownCaches));
		// The same application twice, session and client scopes stored in RamCache or in this cache.
		for (String store : List.of("ram", "dynamo")) {
			Path directory = Files.createDirectories(webroot.resolve("storage-" + store));
			String custom = store.equals("ram") ? "{}" : "{ host: \"" + host + "\", accessKeyId: \"dynamodbcache\", "
					+ "secretkey: \"local\", tableName: \"lucee-storage-compare\" }";
			String className = store.equals("ram") ? "lucee.runtime.cache.ram.RamCache"
					: "io.dynamodbcache.lucee.DynamoDbLuceeCache";
			Files.writeString(directory.resolve("Application.cfc"), """
					component {
						this.name = "storage%1$s";
						this.sessionManagement = true;
						this.clientManagement = true;
						this.cache.connections["store"] = { class: "%2$s", storage: true, custom: %3$s };
						this.sessionStorage = "store";
						this.clientStorage = "store";
					}
					""".formatted(store, className, custom));
			Files.writeString(directory.resolve("visit.cfm"), """
					<cfscript>
					param name="session.visits" default="0";
					param name="client.visits" default="0";
					session.visits++;
					client.visits++;
					if (session.visits == 1) {
						session.cart = { "items": ["tea", 2, createDate(2026, 12, 3)], "total": 12.5 };
					}
					else {
						arrayAppend(session.cart.items, "cake");
					}
					writeOutput("session=" & session.visits & ";client=" & client.visits & ";cart="
						& serializeJSON(session.cart) & ";cfid=" & session.cfid);
					</cfscript>
					""");
		}
		Files.writeString(webroot.resolve("storage-dynamo").resolve("ids.cfm"),
				"<cfoutput>#arrayToList(cacheGetAllIds(cacheName=\"store\"))#</cfoutput>");
		// The README's connection for users of Lucee's own DynamoDB extension, pointed at DynamoDB Local.
		Path upgraded = Files.createDirectories(webroot.resolve("upgraded"));
		String upgradedConnection = ReadmeCode.blockAfter("Its connection works here with two changes")
			.replace("custom: {", "custom: { host: \"" + host + "\", accessKeyId: \"dynamodbcache\", secretkey: \"local\",");
		Files.writeString(upgraded.resolve("Application.cfc"), """
				component {
					this.name = "upgradedFromLuceeExtension";
				%s
				}
				""".formatted(upgradedConnection));
		Files.writeString(upgraded.resolve("put.cfm"),
				"<cfset cachePut(id=\"upgraded\", value={ \"from\": \"lucee-extension\" }, cacheName=\"dynamodb\")>put");
		Files.writeString(upgraded.resolve("get.cfm"),
				"<cfoutput>#cacheGet(id=\"upgraded\", cacheName=\"dynamodb\").from#</cfoutput>");
		Files.writeString(webroot.resolve("index.cfm"), """
				<cfscript>
				param name="session.visits" default="0";
				session.visits++;
				cachePut(id="page_" & session.visits, value={ "visit": session.visits }, cacheName="dynamo");
				writeOutput("visits=" & session.visits & ";cfid=" & session.cfid & ";pages=" & arrayLen(cacheGetAllIds(filter="page_*", cacheName="dynamo")));
				</cfscript>
				""");
		Files.writeString(webroot.resolve("cached-function.cfm"), """
				<cfscript>
				public function lookup(id) cachedWithin="#createTimeSpan(0, 0, 5, 0)#" {
					application.lookups = (application.lookups ?: 0) + 1;
					return { "id": id, "at": application.lookups };
				}
				result = lookup(42);
				writeOutput("at=" & result.at & ";lookups=" & application.lookups);
				</cfscript>
				""");
		Files.writeString(webroot.resolve("OwnCachesThing.cfc"), "component { function name() { return \"thing\"; } }");
		Files.writeString(webroot.resolve("cached-component.cfm"), """
				<cfscript>
				public function makeThing() cachedWithin="#createTimeSpan(0, 0, 5, 0)#" {
					application.things = (application.things ?: 0) + 1;
					return new OwnCachesThing();
				}
				writeOutput("name=" & makeThing().name() & ";things=" & application.things);
				</cfscript>
				""");
		Files.writeString(webroot.resolve("cached-query.cfm"), """
				<cfscript>
				application.queries = (application.queries ?: 0) + 1;
				src = queryNew("n", "integer", [[application.queries]]);
				q = queryExecute("select n from src", {}, { dbtype: "query", cachedWithin: createTimeSpan(0, 0, 5, 0) });
				writeOutput("n=" & q.n & ";queries=" & application.queries);
				</cfscript>
				""");
		Files.writeString(webroot.resolve("storage.cfm"), """
				<cfscript>
				ids = cacheGetAllIds(filter="lucee-storage:*", cacheName="dynamo");
				writeOutput("stored=" & arrayLen(ids) & ";first=" & (arrayLen(ids) ? ids[1] : ""));
				</cfscript>
				""");
	}

	@Test
	void applicationCfcConnectionServesPageRequestsAndStoresSessions() throws Exception {
		String first = request("/index.cfm", null);
		String cfid = first.replaceAll(".*cfid=([^;]+);.*", "$1");
		String second = request("/index.cfm", cfid);
		String storage = request("/storage.cfm", cfid);

		assertThat(first).startsWith("visits=1;");
		assertThat(second).startsWith("visits=2;").contains("pages=2");
		assertThat(storage).startsWith("stored=1;").contains("LUCEE-STORAGE:SESSION:" + cfid.toUpperCase());
	}

	@Test
	void sessionAndClientStorageAcrossTwoRequestsBehaveAsOnRamCache() throws Exception {
		List<String> pages = new ArrayList<>();
		String dynamoCfid = null;
		for (String store : List.of("ram", "dynamo")) {
			String first = request("/storage-" + store + "/visit.cfm", null);
			String cfid = first.replaceAll(".*cfid=", "");
			String second = request("/storage-" + store + "/visit.cfm", cfid);
			pages.add(first.replace(cfid, "<cfid>") + " | " + second.replace(cfid, "<cfid>"));
			dynamoCfid = cfid;
		}
		String stored = request("/storage-dynamo/ids.cfm", dynamoCfid).toUpperCase(Locale.ROOT);

		assertThat(pages.get(0)).startsWith("session=1;client=1;").contains("session=2;client=2;cart=")
			.contains("\"cake\"");
		assertThat(pages.get(1)).isEqualTo(pages.get(0));
		// And both scopes are in DynamoDB, not only in this server's memory.
		assertThat(stored).contains("SESSION:" + dynamoCfid.toUpperCase(Locale.ROOT))
			.contains("CLIENT:" + dynamoCfid.toUpperCase(Locale.ROOT));
	}

	@Test
	void theOriginalExtensionsConnectionWorksWithTheReadmesTwoChanges() throws Exception {
		assertThat(request("/upgraded/put.cfm", null)).isEqualTo("put");
		assertThat(request("/upgraded/get.cfm", null)).isEqualTo("lucee-extension");
		// With the original's maven key, Lucee looks for the class in that artifact and fails: why the README
		// says to drop it.
		String withMavenKey = "try { application name=\"withMavenKey\" caches={ \"mv\": { class: "
				+ "\"io.dynamodbcache.lucee.DynamoDbLuceeCache\", maven: \"org.lucee:dynamodb:1.0.0.0\", custom: "
				+ LuceeEngine.customSettings("lucee-upgrade", "") + ", default: \"\" } }; "
				+ "cachePut(id=\"a\", value=1, cacheName=\"mv\"); return \"stored\"; } catch (any e) { return e.message; }";
		assertThat(LuceeEngine.eval(withMavenKey)).asString()
			.contains("load class [io.dynamodbcache.lucee.DynamoDbLuceeCache]");
	}

	@Test
	void theReadmesFunctionCachingServesTheSecondRequestFromDynamoDb() throws Exception {
		String first = request("/cached-function.cfm", null);
		String second = request("/cached-function.cfm", null);

		// The first request ran the function; the second got its result without running it again.
		assertThat(first).matches("at=(\\d+);lookups=\\1");
		assertThat(second).isEqualTo(first);
	}

	@Test
	void theReadmesQueryCachingServesTheSecondRequestFromDynamoDb() throws Exception {
		String first = request("/cached-query.cfm", null);
		String second = request("/cached-query.cfm", null);

		// The query's source changed, but the second request got the first one's result.
		assertThat(first).matches("n=(\\d+);queries=\\1");
		int n = Integer.parseInt(first.replaceAll("n=(\\d+);.*", "$1"));
		assertThat(second).isEqualTo("n=" + n + ";queries=" + (n + 1));
	}

	@Test
	void aCachedFunctionReturningAComponentRunsEveryTimeAndNeverBreaksThePage() throws Exception {
		int logged = LuceeEngine.applicationLog().length();
		String first = request("/cached-component.cfm", null);
		String second = request("/cached-component.cfm", null);

		// A component has no safe stored form: not cached (RamCache would keep it), and the page still works.
		assertThat(first).matches("name=thing;things=\\d+");
		int things = Integer.parseInt(first.replaceAll(".*things=", ""));
		assertThat(second).isEqualTo("name=thing;things=" + (things + 1));
		// Once per kind: the second refusal is not logged again.
		assertThat(LuceeEngine.applicationLog().substring(logged)).containsOnlyOnce(
				"Cache [dynamo] does not cache this UDFCacheItem (Lucee runs the code every time instead): "
						+ "Components cannot be cached");
	}

	private static String request(String script, String cfid) {
		return LuceeEngine.request(script, "", cfid);
	}

}
