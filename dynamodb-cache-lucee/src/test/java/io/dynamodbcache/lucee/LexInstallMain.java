package io.dynamodbcache.lucee;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/**
 * Runs in a separate JVM that has Lucee but not the adapter on its class path: boots Lucee (whose deploy
 * folder holds the .lex), waits until the extension has made the cache class loadable, then uses a cache
 * of that class. Prints {@code RESULT:<value>} and exits. The connection names the Maven coordinates too:
 * Lucee 7.0.2 takes them from the extension's manifest for connections created in the Administrator, but
 * for those of an application tag only from 7.0.4.21 on.
 */
public final class LexInstallMain {

	private LexInstallMain() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int status = 1;
		try {
			ScriptEngine engine = new ScriptEngineManager().getEngineByName("CFML");
			String script = """
					application name="lexInstall" caches={ "lexdynamo": {
						class: "io.dynamodbcache.lucee.DynamoDbLuceeCache",
						maven: "%s",
						custom: { host: "%s", accessKeyId: "dynamodbcache", secretkey: "local", tableName: "lucee-lex" },
						default: "" } };
					cachePut(id="installed", value={ "via": "lex" }, cacheName="lexdynamo");
					return cacheGet(id="installed", cacheName="lexdynamo").via;
					""".formatted(args[1], host);
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
