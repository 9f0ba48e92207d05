package io.dynamodbcache.lucee;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lucee's own caching on this cache, as administrators set it up ({@code this.cache.function},
 * {@code .include}, {@code .query}, {@code .http}, {@code .template} and {@code .resource}, here through the
 * {@code application} tag's {@code cacheFunction} and the like), against the same pages on Lucee's RamCache:
 * a function with {@code cachedWithin} runs once for equal arguments, an include's output, a query's result
 * (on H2 and of queries) and a {@code cfhttp} response come from the cache although their source changed, a
 * {@code cfcache} body renders once, and a {@code ram://} file is refused with a reason in the log. (A function
 * returning a component, in a page request: {@code ApplicationCfcTests}.)
 */
class LuceeOwnCachesTests {

	private static final String SCRIPT = """
			request.calls = 0;
			request.includes = 0;
			public function slow(n) cachedWithin="#createTimeSpan(0, 0, 1, 0)#" output=true {
				request.calls++;
				echo("ran " & n & ";");
				return { "n": n, "list": [1, "two", createDate(2026, 12, 3)], "when": createDateTime(2026, 12, 3, 10, 0, 0) };
			}
			savecontent variable="out1" { r1 = slow(7); }
			savecontent variable="out2" { r2 = slow(7); }
			savecontent variable="out3" { r3 = slow(8); }
			savecontent variable="inc1" { cfinclude(template="/owncaches-part.cfm", cachedWithin=createTimeSpan(0, 0, 1, 0)); }
			savecontent variable="inc2" { cfinclude(template="/owncaches-part.cfm", cachedWithin=createTimeSpan(0, 0, 1, 0)); }
			return "calls=" & request.calls & " out=" & out1 & "|" & out2 & "|" & out3
				& " same=" & objectEquals(r1, r2) & " r2=" & serializeJSON(r2) & " r3.n=" & r3.n
				& " includes=" & request.includes & " inc=" & trim(inc1) & "|" & trim(inc2);
			""";

	/**
	 * A query of queries ({@code dbtype: "query"}) takes the same cache path as a datasource query: its source
	 * changes between the calls, so a second result equal to the first came from the cache. (In a template:
	 * Lucee's query tag needs the page it runs in.)
	 */
	private static final String QUERY_TEMPLATE = """
			<cfscript>
			sql = "select n, label, made from src where n > :least order by n";
			params = { least: { value: 0, cfsqltype: "integer" } };
			within = { dbtype: "query", cachedWithin: createTimeSpan(0, 0, 1, 0) };
			src = queryNew("n,label,made", "integer,varchar,timestamp", [[1, "one", createDateTime(2026, 12, 3, 10, 0, 0)]]);
			q1 = queryExecute(sql, params, within.append({ result: "r1" }, true));
			src = queryNew("n,label,made", "integer,varchar,timestamp", [[2, "two", createDateTime(2026, 12, 4, 10, 0, 0)]]);
			q2 = queryExecute(sql, params, within.append({ result: "r2" }, true));
			other = queryExecute(sql & " ", params, within);
			objectcache action="clear" filter="*from src where*";
			q3 = queryExecute(sql, params, within.append({ result: "r3" }, true));
			result = "q1=" & serializeJSON(q1) & " q2=" & serializeJSON(q2) & " other=" & other.n & " q3=" & q3.n
				& " cached=" & r1.cached & "," & r2.cached & "," & r3.cached
				& " sameTime=" & (r1.executionTime == r2.executionTime) & " r2=" & r2.columnList & ":" & r2.recordCount
				& " types=" & serializeJSON(getMetadata(q2)) & " sql=" & r2.sql;
			</cfscript>
			""";

	/**
	 * A datasource query (H2 in memory, one database per application) whose table changes between two calls:
	 * the second result is the first one, from the cache; a query without {@code cachedWithin} sees the change.
	 */
	private static final String DATASOURCE_TEMPLATE = """
			<cfscript>
			queryExecute("create table stock (id int primary key, qty int, note varchar(20))");
			queryExecute("insert into stock values (1, 10, 'first'), (2, 5, null)");
			sql = "select id, qty, note from stock where id >= :id order by id";
			params = { id: { value: 1, cfsqltype: "integer" } };
			q1 = queryExecute(sql, params, { cachedWithin: createTimeSpan(0, 0, 1, 0), result: "r1" });
			queryExecute("update stock set qty = 20, note = 'second' where id = 1");
			q2 = queryExecute(sql, params, { cachedWithin: createTimeSpan(0, 0, 1, 0), result: "r2" });
			fresh = queryExecute(sql, params);
			result = "q1=" & serializeJSON(q1) & " q2=" & serializeJSON(q2) & " fresh=" & serializeJSON(fresh)
				& " cached=" & r1.cached & "," & r2.cached & " sameTime=" & (r1.executionTime == r2.executionTime)
				& " types=" & serializeJSON(getMetadata(q2));
			</cfscript>
			""";

	/**
	 * {@code cfhttp} with {@code cachedWithin} against a page of the same engine on loopback, whose answer
	 * changes on every request:
	 * the second result is the first one, from the cache.
	 * <p>
	 * Every {@code http} has a {@code timeout}. Lucee 7.0.2's tag starts its worker and only then waits on itself
	 * for its notification. A worker that finishes first leaves the tag waiting out the whole timeout, and then
	 * it goes on with the response. Without the attribute, that timeout is the page's remaining request time: a
	 * CI run hung there for over 11 minutes (every thread's stack showed the tag in {@code Http._doEndTag}'s
	 * wait, no worker, the loopback server idle).
	 */
	private static final String HTTP_TEMPLATE = """
			<cfscript>
			http url=request.countUrl cachedWithin=createTimeSpan(0, 0, 1, 0) result="h1" timeout=20;
			http url=request.countUrl cachedWithin=createTimeSpan(0, 0, 1, 0) result="h2" timeout=20;
			http url=request.countUrl result="h3" timeout=20;
			result = "h1=" & h1.fileContent & " h2=" & h2.fileContent & " h3=" & h3.fileContent
				& " status=" & h2.statusCode & " mime=" & h2.mimeType & " header=" & h2.responseHeader["X-Count"]
				& " keys=" & listSort(structKeyList(h2), "textnocase") & " same=" & (serializeJSON(h1) == serializeJSON(h2));
			</cfscript>
			""";

	private static HttpServer countServer;

	private static final String QUERY_SCRIPT = "include \"/owncaches-query.cfm\"; return result;";

	@BeforeAll
	static void writeTemplates() throws Exception {
		LuceeEngine.get();
		// Lucee's JSR-223 web context serves templates from the working directory.
		Path webroot = Path.of("").toAbsolutePath();
		Files.writeString(webroot.resolve("owncaches-part.cfm"),
				"<cfset request.includes++><cfoutput>part #request.includes#</cfoutput>");
		Files.writeString(webroot.resolve("owncaches-query.cfm"), QUERY_TEMPLATE);
		Files.writeString(webroot.resolve("owncaches-datasource.cfm"), DATASOURCE_TEMPLATE);
		Files.writeString(webroot.resolve("owncaches-http.cfm"), HTTP_TEMPLATE);
		Files.writeString(webroot.resolve("owncaches-array-query.cfm"), """
				<cfscript>
				within = { dbtype: "query", returntype: "array", cachedWithin: createTimeSpan(0, 0, 1, 0) };
				src = queryNew("n", "integer", [[1]]);
				first = queryExecute("select n from src", {}, within);
				src = queryNew("n", "integer", [[2]]);
				second = queryExecute("select n from src", {}, within);
				result = "first=" & first[1].n & " second=" & second[1].n;
				</cfscript>
				""");
		Files.writeString(webroot.resolve("owncaches-page.cfm"), """
				<cfcache action="cache" timespan="#createTimeSpan(0, 0, 1, 0)#" key="owncaches-page-#application.applicationName#">\
				<cfset request.renders++><cfoutput>render #request.renders#</cfoutput></cfcache>""");
		// A page of the same engine, served on loopback: it counts its requests for each run, so each starts at 1.
		Files.writeString(webroot.resolve("owncaches-count.cfm"), """
				<cfscript>
				lock scope="server" type="exclusive" timeout="5" {
					server.ownCachesCounts = server.ownCachesCounts ?: {};
					server.ownCachesCounts[url.run] = (server.ownCachesCounts[url.run] ?: 0) + 1;
					count = server.ownCachesCounts[url.run];
				}
				writeOutput(count);
				</cfscript>
				""");
		countServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		countServer.createContext("/", (exchange) -> {
			String count = LuceeEngine.request("/owncaches-count.cfm", exchange.getRequestURI().getQuery(), null);
			byte[] body = ("count " + count).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
			exchange.getResponseHeaders().add("X-Count", count);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		countServer.start();
	}

	@AfterAll
	static void stopServer() {
		countServer.stop(0);
	}

	@Test
	void functionAndIncludeCachingBehaveAsOnRamCache() {
		Runs runs = onRamAndDynamoDb("own", (connection) -> SCRIPT);

		assertThat(runs.onRam()).startsWith("calls=2 out=ran 7;|ran 7;|ran 8;").contains("includes=1 inc=part 1|part 1");
		assertThat(runs.onDynamoDb()).isEqualTo(runs.onRam());
	}

	@Test
	void queryCachingBehavesAsOnRamCache() {
		Runs runs = onRamAndDynamoDb("q", (connection) -> QUERY_SCRIPT);

		// The second result is the first one; a clear whose filter matches the cached query's SQL removes it.
		assertThat(runs.onRam()).contains("q2={\"COLUMNS\":[\"n\",\"label\",\"made\"],\"DATA\":[[1,\"one\"")
			.contains("q3=2 cached=false,true,false sameTime=true");
		assertThat(runs.onDynamoDb()).isEqualTo(runs.onRam());
	}

	@Test
	void datasourceQueryCachingBehavesAsOnRamCache() {
		String script = "include \"/owncaches-datasource.cfm\"; return result;";
		Runs runs = onRamAndDynamoDb("ds", (connection) -> script);

		assertThat(runs.onRam()).contains("q2={\"COLUMNS\":[\"ID\",\"QTY\",\"NOTE\"],\"DATA\":[[1,10,\"first\"]")
			.contains("fresh={\"COLUMNS\":[\"ID\",\"QTY\",\"NOTE\"],\"DATA\":[[1,20,\"second\"]")
			.contains("cached=false,true sameTime=true");
		assertThat(runs.onDynamoDb()).isEqualTo(runs.onRam());
	}

	@Test
	void httpCachingBehavesAsOnRamCache() {
		Runs runs = onRamAndDynamoDb("h", LuceeOwnCachesTests::httpScript);

		assertThat(runs.onRam()).startsWith("h1=count 1 h2=count 1 h3=count 2 status=200 OK mime=text/plain header=1 ")
			.endsWith(" same=true");
		assertThat(runs.onDynamoDb()).isEqualTo(runs.onRam());
	}

	/** The script of a run: the page counts its requests for each connection, so each run starts at 1. */
	private static String httpScript(String path) {
		return "request.countUrl = \"http://" + countServer.getAddress().getHostString() + ":"
				+ countServer.getAddress().getPort() + "/count?run=" + path + "\"; include \"/owncaches-http.cfm\"; return result;";
	}

	@Test
	void queryResultsAsArraysRunEveryTimeWithAReasonInTheLog() {
		int logged = LuceeEngine.applicationLog().length();
		String script = "include \"/owncaches-array-query.cfm\"; return result;";
		Runs runs = onRamAndDynamoDb("a", (connection) -> script);

		// A documented difference: RamCache serves the second call from the cache, this cache runs it again
		// (its item could not keep its creation time), and the page works either way.
		assertThat(runs.onRam()).isEqualTo("first=1 second=1");
		assertThat(runs.onDynamoDb()).isEqualTo("first=1 second=2");
		assertThat(LuceeEngine.applicationLog().substring(logged))
			.containsOnlyOnce("Cache [" + runs.dynamoDbConnection() + "] does not cache this QueryArrayItem");
	}

	@Test
	void ramResourcesAreRefusedWithAnErrorThatSaysWhy() {
		int logged = LuceeEngine.applicationLog().length();
		String script = """
				try {
					fileWrite("ram://owncaches-note.txt", "hello");
					return fileRead("ram://owncaches-note.txt");
				}
				catch (any e) {
					return e.message;
				}
				""";
		Runs runs = onRamAndDynamoDb("r", (connection) -> script);

		// A documented difference: Lucee changes a stored ram:// file in place, which a copy cannot follow. The
		// write fails (Lucee reports the missing root directory, whose refused put it ignored) rather than
		// losing the file's content later.
		assertThat(runs.onRam()).isEqualTo("hello");
		assertThat(runs.onDynamoDb()).startsWith("Failed to write to file [ram:///owncaches-note.txt]");
		// The log says why, once.
		assertThat(LuceeEngine.applicationLog().substring(logged))
			.containsOnlyOnce("Cache [" + runs.dynamoDbConnection()
					+ "] does not cache this CacheResourceCore: Lucee's ram:// files")
			.contains("keep RamCache as the resource cache (this.cache.resource)");
	}

	/** {@code cfcache} with a body (Lucee's template cache), included twice. */
	@Test
	void pageCachingBehavesAsOnRamCache() {
		String script = """
				request.renders = 0;
				try {
					savecontent variable="p1" { include "/owncaches-page.cfm"; }
					savecontent variable="p2" { include "/owncaches-page.cfm"; }
					return "p1=" & trim(p1) & " p2=" & trim(p2) & " renders=" & request.renders;
				}
				catch (any e) {
					return "failed on " & server.lucee.version;
				}
				""";
		Runs runs = onRamAndDynamoDb("p", (connection) -> script);

		// Lucee 7.0.2's cfcache gives every cache connection a null key (its CacheItemCache never sets the key
		// it computes), so the page fails on RamCache too; Lucee 6.2 caches the body once.
		assertThat(runs.onRam()).isIn("p1=render 1 p2=render 1 renders=1", "failed on 7.0.2.106-RC");
		assertThat(runs.onDynamoDb()).isEqualTo(runs.onRam());
	}

	@Test
	void theItemsAreStoredInDynamoDb() {
		String cache = "ownstored" + UUID.randomUUID().toString().substring(0, 8);
		String stored = run(cache, "io.dynamodbcache.lucee.DynamoDbLuceeCache",
				LuceeEngine.customSettings("lucee-own-caches", "liveTimeout: 10000"),
				SCRIPT.replace("return \"calls=\"", "return \"stored=\" & cacheCount(\"" + cache + "\") & \" calls=\""));

		// Two function results (7 and 8) and one include.
		assertThat(stored).startsWith("stored=3 calls=2");
	}

	/**
	 * The same script run twice, with a RamCache connection and then with one of this cache, each the default
	 * of every kind of Lucee's own caching in its application.
	 * @param prefix starts the connections' (and applications') names
	 * @param script the script of a run, given the run's connection name
	 */
	private static Runs onRamAndDynamoDb(String prefix, Function<String, String> script) {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String ram = prefix + "ram" + suffix;
		String dynamo = prefix + "dynamo" + suffix;
		return new Runs(run(ram, "lucee.runtime.cache.ram.RamCache", "{}", script.apply(ram)),
				run(dynamo, "io.dynamodbcache.lucee.DynamoDbLuceeCache",
						LuceeEngine.customSettings("lucee-own-caches", "liveTimeout: 10000"), script.apply(dynamo)),
				dynamo);
	}

	/** What a script returned on RamCache and on this cache. */
	private record Runs(String onRam, String onDynamoDb, String dynamoDbConnection) {
	}

	private static String run(String connection, String className, String custom, String script) {
		StringBuilder application = new StringBuilder("application name=\"" + connection + "\" caches={ \"" + connection
				+ "\": { class: \"" + className + "\", custom: " + custom + ", default: \"\" } }");
		// The connection is the default of every kind of Lucee's own caching.
		for (String kind : List.of("Function", "Include", "Query", "HTTP", "Resource", "Template")) {
			application.append(" cache").append(kind).append("=\"").append(connection).append('"');
		}
		application.append(" datasources={ \"owncaches\": { class: \"org.h2.Driver\", connectionString: \"jdbc:h2:mem:")
			.append(connection).append(";DB_CLOSE_DELAY=-1\" } } datasource=\"owncaches\";\n");
		return String.valueOf(LuceeEngine.eval(application + script));
	}

}
