package io.dynamodbcache.lucee;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import lucee.loader.engine.CFMLEngine;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.PageContext;
import org.jspecify.annotations.Nullable;

/**
 * The one real Lucee engine of the test JVM (JSR-223 "CFML"), booted on first use with a
 * {@code .CFConfig.json} that already defines the server-wide cache connection {@value #SERVER_CACHE}, and with
 * the extension's function library installed the way the {@code .lex} installs it. (Surefire lets Lucee's
 * OSGi bundles see this project's classes through {@code org.osgi.framework.bootdelegation}; the packaged
 * {@code .lex} is tested without that in {@code LexInstallIT}.)
 */
final class LuceeEngine {

	static final String SERVER_CACHE = "serverdynamo";

	/**
	 * CFML that defines {@code joinThreads(names)}: it waits for the named threads at most a minute (unless
	 * given another time), and throws naming a thread that has not completed (its status) or failed (its
	 * error), so that a test whose threads hang fails with the cause instead of hanging its build.
	 */
	static final String JOIN_THREADS = """
			function joinThreads(required array names, numeric timeoutMillis = 60000) {
				thread action="join" name=arrayToList(arguments.names) timeout=arguments.timeoutMillis;
				for (var name in arguments.names) {
					if (structKeyExists(cfthread[name], "error")) {
						throw(message="thread " & name & " failed: " & cfthread[name].error.message);
					}
					if (cfthread[name].status != "COMPLETED") {
						var status = cfthread[name].status;
						thread action="terminate" name=name;
						throw(message="thread " & name & " did not complete in " & arguments.timeoutMillis & " ms: " & status);
					}
				}
			}
			""";

	private static ScriptEngine engine;

	private LuceeEngine() {
	}

	static synchronized ScriptEngine get() {
		if (engine == null) {
			writeServerConfig();
			engine = new ScriptEngineManager().getEngineByName("CFML");
			if (engine == null) {
				throw new IllegalStateException("No CFML script engine: is org.lucee:lucee on the test classpath?");
			}
		}
		return engine;
	}

	static Object eval(String script) {
		try {
			return get().eval(script);
		}
		catch (ScriptException ex) {
			throw new CfmlException(ex.getMessage(), ex);
		}
	}

	/**
	 * Run CFML in an application (set up with the {@code application} tag) that has one cache connection of
	 * this project's class.
	 * @param application the application name
	 * @param connection the cache connection name
	 * @param custom the connection's custom settings, as a CFML struct literal
	 * @param script the CFML to run after the application tag
	 * @return the value the script returns
	 */
	static Object evalWithCache(String application, String connection, String custom, String script) {
		return eval("application name=\"" + application + "\" caches={ \"" + connection
				+ "\": { class: \"io.dynamodbcache.lucee.DynamoDbLuceeCache\", custom: " + custom
				+ ", default: \"\" } };\n" + script);
	}

	/**
	 * The {@code application} tag of an application with two cache connections to compare: one of Lucee's
	 * RamCache and one of this project's class on the shared DynamoDB Local (with a generous time budget:
	 * the comparisons race threads on a busy machine, they do not test time limits).
	 */
	static String applicationWithRamAndDynamoDb(String application, String ram, String dynamo, String table) {
		return "application name=\"" + application + "\" caches={ \"" + ram
				+ "\": { class: \"lucee.runtime.cache.ram.RamCache\", custom: {}, default: \"\" }, \"" + dynamo
				+ "\": { class: \"io.dynamodbcache.lucee.DynamoDbLuceeCache\", custom: "
				+ customSettings(table, "liveTimeout: 10000") + ", default: \"\" } };\n";
	}

	/** The {@code custom} struct of a connection to the shared DynamoDB Local, in CFML literal syntax. */
	static String customSettings(String table, String extra) {
		return "{ host: \"" + DynamoDbLocal.shared().endpoint().toString().replace("http://", "")
				+ "\", accessKeyId: \"dynamodbcache\", secretkey: \"local\", tableName: \"" + table + "\""
				+ (extra.isEmpty() ? "" : ", " + extra) + " }";
	}

	/**
	 * A page request to the engine's web context (the working directory), as a servlet container would make it.
	 * @param script the page's path, such as {@code /index.cfm}
	 * @param queryString the request's query string, or {@code ""}
	 * @param cfid the visitor's CFID cookie, or {@code null} for a new visitor
	 * @return the page's output; of a Lucee error page, the part that names the error
	 */
	static String request(String script, String queryString, @Nullable String cfid) {
		get();
		CFMLEngine engine = CFMLEngineFactory.getInstance();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			Method createPageContext = createPageContext(engine);
			PageContext pc = (PageContext) createPageContext.invoke(engine,
					new File(Path.of("").toAbsolutePath().toString()), "localhost", script, queryString,
					cookies(createPageContext, cfid), new HashMap<>(), new HashMap<>(), new HashMap<>(), out, 30_000L, true);
			try {
				pc.executeCFML(script, false, true);
				pc.flush();
			}
			finally {
				engine.releasePageContext(pc, true);
			}
		}
		catch (Exception ex) {
			throw new CfmlException("Request " + script + " failed: " + ex, ex);
		}
		String body = out.toString(StandardCharsets.UTF_8).trim();
		int message = body.indexOf("Message");
		return (body.length() > 2000)
				? body.substring(Math.max(0, message), Math.min(body.length(), message + 1500)) + "..." : body;
	}

	/**
	 * The engine's createPageContext, whose cookies are jakarta's on Lucee 7 and javax's on Lucee 6.2: found by
	 * name, so that the same test runs on both.
	 */
	private static Method createPageContext(CFMLEngine engine) {
		return Arrays.stream(engine.getClass().getMethods())
			.filter((method) -> method.getName().equals("createPageContext") && method.getParameterCount() == 11)
			.findFirst()
			.orElseThrow();
	}

	/** The visitor's cookies, of the cookie class the engine's createPageContext takes. */
	private static Object cookies(Method createPageContext, @Nullable String cfid) throws ReflectiveOperationException {
		Class<?> cookie = createPageContext.getParameterTypes()[4].getComponentType();
		if (cfid == null) {
			return Array.newInstance(cookie, 0);
		}
		Object cookies = Array.newInstance(cookie, 2);
		Constructor<?> make = cookie.getConstructor(String.class, String.class);
		Array.set(cookies, 0, make.newInstance("CFID", cfid));
		Array.set(cookies, 1, make.newInstance("CFTOKEN", "0"));
		return cookies;
	}

	/** What Lucee wrote to its application log so far (where the connection logs, by default). */
	static String applicationLog() {
		Path log = Path.of(System.getProperty("lucee.base.dir"), "lucee-server", "context", "logs", "application.log");
		try {
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void writeServerConfig() {
		String base = System.getProperty("lucee.base.dir");
		if (base == null) {
			throw new IllegalStateException("Run the Lucee tests with -Dlucee.base.dir (Surefire sets it)");
		}
		String json = """
				{
				  "loggers": {
				    "application": {
				      "appender": "resource",
				      "appenderArguments": "path:{lucee-config}/logs/application.log",
				      "layout": "classic",
				      "level": "info"
				    }
				  },
				  "resourceProviders": [
				    {
				      "scheme": "ram",
				      "class": "lucee.commons.io.res.type.cache.CacheResourceProvider",
				      "arguments": "case-sensitive:true;lock-timeout:1000;"
				    }
				  ],
				  "caches": {
				    "%s": {
				      "class": "io.dynamodbcache.lucee.DynamoDbLuceeCache",
				      "custom": {
				        "TABLENAME": "lucee-server-config",
				        "ACCESSKEYID": "dynamodbcache",
				        "SECRETKEY": "local",
				        "REGION": "us-east-1",
				        "HOST": "%s",
				        "LIVETIMEOUT": "10000"
				      },
				      "readOnly": false,
				      "storage": false
				    }
				  }
				}
				""".formatted(SERVER_CACHE, DynamoDbLocal.shared().endpoint());
		try {
			Path context = Path.of(base, "lucee-server", "context");
			Files.createDirectories(context);
			Files.writeString(context.resolve(".CFConfig.json"), json);
			Path functions = Files.createDirectories(context.resolve("library").resolve("fld"));
			Path lex = Path.of(System.getProperty("lex.source.dir"));
			// Without the bundle the .lex installs, the functions' classes come from the class path.
			String library = Files.readString(lex.resolve("flds").resolve("dynamodb-cache.fld"))
				.replaceAll(" bundle-name=\"@bundle.name@\" bundle-version=\"@bundle.version@\"", "");
			Files.writeString(functions.resolve("dynamodb-cache.fld"), library);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A CFML error thrown by a script. */
	static final class CfmlException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CfmlException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
