package io.dynamodbcache.lucee;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lucee's own caching on this cache, as administrators set it up ({@code this.cache.function},
 * {@code this.cache.include}, here through the {@code application} tag's {@code cacheFunction} and
 * {@code cacheInclude}), against the same script on Lucee's RamCache: a function with {@code cachedWithin} runs
 * once for equal arguments, its output and result come back, and an include's output is served from the cache.
 * (A function returning a component, in a page request: {@code ApplicationCfcTests}.)
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

	@BeforeAll
	static void writeTemplates() throws Exception {
		LuceeEngine.get();
		// Lucee's JSR-223 web context serves templates from the working directory.
		Path webroot = Path.of("").toAbsolutePath();
		Files.writeString(webroot.resolve("owncaches-part.cfm"),
				"<cfset request.includes++><cfoutput>part #request.includes#</cfoutput>");
	}

	@Test
	void functionAndIncludeCachingBehaveAsOnRamCache() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String onRam = run("ownram" + suffix, "lucee.runtime.cache.ram.RamCache", "{}", SCRIPT);
		String onDynamoDb = run("owndynamo" + suffix, "io.dynamodbcache.lucee.DynamoDbLuceeCache",
				LuceeEngine.customSettings("lucee-own-caches", "liveTimeout: 10000"), SCRIPT);

		assertThat(onRam).startsWith("calls=2 out=ran 7;|ran 7;|ran 8;").contains("includes=1 inc=part 1|part 1");
		assertThat(onDynamoDb).isEqualTo(onRam);
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

	private static String run(String connection, String className, String custom, String script) {
		String application = "application name=\"" + connection + "\" caches={ \"" + connection + "\": { class: \""
				+ className + "\", custom: " + custom + ", default: \"\" } } cacheFunction=\"" + connection
				+ "\" cacheInclude=\"" + connection + "\";\n";
		return String.valueOf(LuceeEngine.eval(application + script));
	}

}
