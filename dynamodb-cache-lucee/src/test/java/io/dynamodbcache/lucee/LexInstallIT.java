package io.dynamodbcache.lucee;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the packaged .lex the way an administrator does (Lucee's deploy folder) in a Lucee that has
 * nothing of this project on its class path, once per Lucee version the build tests, and uses what it
 * provides (see {@link LexInstallMain}).
 */
class LexInstallIT {

	@ParameterizedTest(name = "Lucee {0}")
	@ValueSource(strings = { "7.0", "6.2" })
	void deployedLexProvidesTheCacheItsFunctionsAndItsAdministratorDriver(String luceeVersion) throws Exception {
		Path lex = Path.of(System.getProperty("lex.file"));
		Path base = Path.of(System.getProperty("java.io.tmpdir"), "lex-install-" + luceeVersion + "-" + System.nanoTime());
		Path deploy = Files.createDirectories(base.resolve("lucee-server").resolve("deploy"));
		// Lucee's application log takes errors only by default; an administrator who wants the store's
		// warnings and notices sets it to info, as here.
		Files.writeString(Files.createDirectories(base.resolve("lucee-server").resolve("context")).resolve(".CFConfig.json"),
				"""
						{ "loggers": { "application": { "appender": "resource",
						  "appenderArguments": { "path": "{lucee-config}/logs/application.log" },
						  "level": "info", "layout": "classic" } } }
						""");
		Files.copy(lex, deploy.resolve(lex.getFileName()), StandardCopyOption.REPLACE_EXISTING);

		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (entry.endsWith("test-classes") || luceeVersion.equals("7.0")
					&& (entry.contains("lucee") && entry.endsWith(".jar") || entry.contains("jakarta.servlet"))) {
				classPath.add(entry);
			}
		}
		if (luceeVersion.equals("6.2")) {
			classPath.addAll(Arrays.asList(System.getProperty("lucee6.classpath").split(",")));
		}
		assertThat(classPath).noneMatch((entry) -> entry.endsWith(File.separator + "classes")
				|| entry.contains("dynamodb-cache-core") || entry.contains("awssdk"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = base.resolve("lucee.log");
		Process process = new ProcessBuilder(List.of(java, "-cp", String.join(File.pathSeparator, classPath),
				"-Dlucee.base.dir=" + base, "-Djava.io.tmpdir=" + base,
				"-Dlucee.admin.password=" + LexInstallMain.ADMIN_PASSWORD, LexInstallMain.class.getName(),
				DynamoDbLocal.shared().endpoint().toString()))
			.directory(base.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean exited = process.waitFor(180, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		String output = Files.readString(log);
		List<String> lines = Arrays.asList(output.split("\\R"));

		// The script's own output (white space) may precede the result on its line.
		assertThat(lines).as(output).anyMatch((line) -> line.strip().startsWith("RESULT:"));
		String[] result = lines.stream().map(String::strip).filter((line) -> line.startsWith("RESULT:")).findFirst()
			.orElseThrow().substring("RESULT:".length()).split("\\|");
		assertThat(result[6]).as("the Lucee that ran").startsWith(luceeVersion + ".");
		assertThat(result[0]).as("value read back through a class-only connection").isEqualTo("lex");
		assertThat(result[1]).as("DynamoDBCacheIncrement").isEqualTo("1");
		assertThat(result[7]).as("a function with cachedWithin, run once, its result read back").isEqualTo("1:true:1");
		assertThat(result[8]).as("a query with cachedWithin whose source changed: the second result from the cache")
			.isEqualTo("1:1:true");
		assertThat(result[2].split(",")).as("the Administrator's cache drivers").contains("DynamoDB", "RamCache");
		assertThat(result[3]).isEqualTo("DynamoDB");
		assertThat(result[4].split(",")).as("a field for every setting").containsExactlyInAnyOrder("table",
				"createTable", "shards", "cacheName", "accessKeyId", "secretkey", "region", "host", "liveTimeout",
				"closeTimeout", "logKeys", "strict", "log", "timeToLiveSeconds", "timeToIdleSeconds", "consistentRead",
				"nearCache", "nearCacheMaxSize", "nearCacheTimeToLiveSeconds", "streamInvalidation", "streamPollInterval");
		assertThat(result[5]).as("value read back through the connection made from the driver's fields, with its "
				+ "near cache on")
			.isEqualTo("admin");
		assertThat(readLogs(base.resolve("lucee-server").resolve("context").resolve("logs")))
			.as("Lucee's logs after the install")
			.doesNotContain("BundleException")
			.doesNotContain("io.dynamodbcache");
		// What the store and the settings log through SLF4J reaches the connection's Lucee log (application, by
		// default), with its level, instead of SLF4J's no-operation default.
		assertThat(output).as("the child JVM's output").doesNotContain("No SLF4J providers");
		assertThat(Files.readString(base.resolve("lucee-server").resolve("context").resolve("logs")
			.resolve("application.log")))
			.as("Lucee's application log")
			.containsPattern("\"INFO\",[^\n]*\"dynamodb-cache\",[^\n]*liveTimeout=3600000 ms is above 60 s");
	}

	/** Lucee's error logs, whatever they hold. */
	private static String readLogs(Path logs) throws java.io.IOException {
		StringBuilder content = new StringBuilder();
		for (String name : List.of("err.log", "exception.log", "application.log")) {
			Path log = logs.resolve(name);
			if (Files.exists(log)) {
				content.append(Files.readString(log));
			}
		}
		return content.toString();
	}

}
