package io.dynamodbcache.lucee;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/**
 * Runs in a separate JVM that has Lucee but not the adapter on its class path: boots Lucee (whose deploy
 * folder holds the .lex), waits until the extension has made the cache class loadable, then uses what the
 * extension provides the way users do: a cache connection of an application that names the class only (no
 * {@code maven} or bundle key), the extension's functions, and the Administrator's cache driver, from whose
 * fields a second connection is made through the admin API. Prints {@code RESULT:<value>} and exits.
 */
public final class LexInstallMain {

	static final String ADMIN_PASSWORD = "lex-install-test";

	/**
	 * Lucee's own query caching on the installed bundle: the query's source changes between two calls and the
	 * second result is the first one, from DynamoDB. The parameter is new in every run, so that the other Lucee
	 * version's run (same table) has not cached it.
	 */
	private static final String QUERY_PAGE = """
			<cfscript>
			least = { value: -getTickCount(), cfsqltype: "bigint" };
			src = queryNew("n", "integer", [[1]]);
			q1 = queryExecute("select n from src where n > :least", { least: least },
				{ dbtype: "query", cachedWithin: createTimeSpan(0, 0, 1, 0) });
			src = queryNew("n", "integer", [[2]]);
			q2 = queryExecute("select n from src where n > :least", { least: least },
				{ dbtype: "query", cachedWithin: createTimeSpan(0, 0, 1, 0), result: "r2" });
			queryCaching = q1.n & ":" & q2.n & ":" & r2.cached;
			</cfscript>
			""";

	private LexInstallMain() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int status = 1;
		try {
			// Lucee's query tag needs a page to run in: Lucee's JSR-223 web context serves the working directory.
			Files.writeString(Path.of("lex-query.cfm"), QUERY_PAGE);
			ScriptEngine engine = new ScriptEngineManager().getEngineByName("CFML");
			String script = """
					application name="lexInstall" caches={ "lexdynamo": {
						class: "io.dynamodbcache.lucee.DynamoDbLuceeCache",
						custom: { host: "%1$s", accessKeyId: "dynamodbcache", secretkey: "local", tableName: "lucee-lex",
							liveTimeout: 3600000 },
						default: "" } } cacheFunction="lexdynamo" cacheQuery="lexdynamo";
					cachePut(id="installed", value={ "via": "lex" }, cacheName="lexdynamo");
					// Lucee's own function caching on the installed bundle: the second call is a hit.
					request.lexCalls = 0;
					public function lexCached(n) cachedWithin="#createTimeSpan(0, 0, 1, 0)#" {
						request.lexCalls++;
						return { "n": n };
					}
					// An argument of its own, so that the other Lucee version's run (same table) has not cached it.
					lexArgument = createUUID();
					lexCached(lexArgument);
					functionCaching = request.lexCalls & ":" & (lexCached(lexArgument).n == lexArgument) & ":"
						& request.lexCalls;
					include "/lex-query.cfm";
					installed = cacheGet(id="installed", cacheName="lexdynamo").via;
					counted = DynamoDBCacheIncrement(id="counter-" & createUUID(), cacheName="lexdynamo");

					drivers = [];
					for (name in componentListPackage("lucee.admin.cdriver")) {
						if (!listFindNoCase("Cache,Field,Group", name)) arrayAppend(drivers, name);
					}
					driver = createObject("component", "lucee.admin.cdriver.DynamoDB");
					custom = {};
					fieldNames = [];
					for (field in driver.getCustomFields()) {
						if (structKeyExists(field, "getName")) {
							custom[field.getName()] = field.getDefaultValue();
							arrayAppend(fieldNames, field.getName());
						}
					}
					custom.table = "lucee-lex-admin";
					custom.host = "%1$s";
					custom.accessKeyId = "dynamodbcache";
					custom.secretkey = "local";
					// The near cache loads Caffeine and the stream's client from the extension's bundle.
					custom.nearCache = true;
					custom.streamPollInterval = 100;
					admin action="updateCacheConnection" type="server" password="%2$s" name="admindynamo"
						class=driver.getClass() storage=false default="" readonly=false custom=custom;
					cachePut(id="viaAdmin", value="admin", cacheName="admindynamo");
					cacheGet(id="viaAdmin", cacheName="admindynamo");
					return installed & "|" & counted & "|" & arrayToList(drivers) & "|" & driver.getLabel() & "|"
						& arrayToList(fieldNames) & "|" & cacheGet(id="viaAdmin", cacheName="admindynamo") & "|"
						& server.lucee.version & "|" & functionCaching & "|" & queryCaching;
					""".formatted(host.replace("http://", ""), ADMIN_PASSWORD);
			long deadline = System.nanoTime() + 120_000_000_000L;
			Exception last = null;
			while (System.nanoTime() < deadline) {
				try {
					System.out.println("RESULT:" + engine.eval(script));
					status = 0;
					break;
				}
				catch (Exception ex) {
					last = ex;
					Thread.sleep(2000);
				}
			}
			if (status != 0 && last != null) {
				System.out.println("FAILED:" + last);
			}
		}
		finally {
			System.out.flush();
			// Lucee's OSGi threads are not daemons.
			System.exit(status);
		}
	}

}
