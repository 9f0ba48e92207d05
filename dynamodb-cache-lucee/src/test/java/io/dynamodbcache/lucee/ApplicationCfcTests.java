package io.dynamodbcache.lucee;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import jakarta.servlet.http.Cookie;
import lucee.loader.engine.CFMLEngine;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.PageContext;
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
		Files.writeString(webroot.resolve("Application.cfc"), """
				component {
					this.name = "dynamodbCacheApp";
					this.sessionManagement = true;
					this.sessionTimeout = createTimeSpan(0, 0, 30, 0);
				%s
				}
				""".formatted(connection));
		Files.writeString(webroot.resolve("index.cfm"), """
				<cfscript>
				param name="session.visits" default="0";
				session.visits++;
				cachePut(id="page_" & session.visits, value={ "visit": session.visits }, cacheName="dynamo");
				writeOutput("visits=" & session.visits & ";cfid=" & session.cfid & ";pages=" & arrayLen(cacheGetAllIds(filter="page_*", cacheName="dynamo")));
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

	private static String request(String script, String cfid) throws Exception {
		CFMLEngine engine = CFMLEngineFactory.getInstance();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Cookie[] cookies = (cfid != null) ? new Cookie[] { new Cookie("CFID", cfid), new Cookie("CFTOKEN", "0") }
				: new Cookie[0];
		PageContext pc = engine.createPageContext(new File(webroot.toString()), "localhost", script, "", cookies,
				new HashMap<>(), new HashMap<>(), new HashMap<>(), out, 30_000, true);
		try {
			pc.executeCFML(script, false, true);
			pc.flush();
		}
		finally {
			engine.releasePageContext(pc, true);
		}
		String body = out.toString(StandardCharsets.UTF_8).trim();
		// Lucee error pages are long HTML: keep the part that names the error.
		return (body.length() > 2000) ? body.substring(0, 2000) + "..." : body;
	}

}
