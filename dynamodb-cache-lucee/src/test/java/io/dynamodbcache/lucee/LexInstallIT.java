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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the packaged .lex the way an administrator does (Lucee's deploy folder) in a Lucee that has
 * nothing of this project on its class path, and uses the cache it provides.
 */
class LexInstallIT {

	@Test
	void deployedLexProvidesAWorkingCache() throws Exception {
		Path lex = Path.of(System.getProperty("lex.file"));
		Path base = Path.of(System.getProperty("java.io.tmpdir"), "lex-install-" + System.nanoTime());
		Path deploy = Files.createDirectories(base.resolve("lucee-server").resolve("deploy"));
		Files.copy(lex, deploy.resolve(lex.getFileName()), StandardCopyOption.REPLACE_EXISTING);

		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (entry.contains("lucee") && entry.endsWith(".jar") || entry.contains("jakarta.servlet")
					|| entry.endsWith("test-classes")) {
				classPath.add(entry);
			}
		}
		assertThat(classPath).noneMatch((entry) -> entry.endsWith(File.separator + "classes")
				|| entry.contains("dynamodb-cache-core") || entry.contains("awssdk"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = base.resolve("lucee.log");
		Process process = new ProcessBuilder(List.of(java, "-cp", String.join(File.pathSeparator, classPath),
				"-Dlucee.base.dir=" + base, "-Djava.io.tmpdir=" + base, LexInstallMain.class.getName(),
				DynamoDbLocal.shared().endpoint().toString(), System.getProperty("lex.coordinates")))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean exited = process.waitFor(180, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		String output = Files.readString(log);
		List<String> lines = Arrays.asList(output.split("\\R"));

		assertThat(lines).as(output).contains("RESULT:lex");
	}

}
