package io.dynamodbcache.lucee;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

import io.dynamodbcache.testsupport.DynamoDbLocal;

/**
 * The one real Lucee engine of the test JVM (JSR-223 "CFML"), booted on first use with a
 * {@code .CFConfig.json} that already defines the server-wide cache connection {@value #SERVER_CACHE}, and with
 * the extension's function library installed the way the {@code .lex} installs it. (Surefire lets Lucee's
 * OSGi bundles see this project's classes through {@code org.osgi.framework.bootdelegation}; the packaged
 * {@code .lex} is tested without that in {@code LexInstallIT}.)
 */
final class LuceeEngine {

	static final String SERVER_CACHE = "serverdynamo";

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
