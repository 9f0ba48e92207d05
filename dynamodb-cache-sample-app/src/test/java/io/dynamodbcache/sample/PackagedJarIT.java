package io.dynamodbcache.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged jar the way the README does (java -jar, embedded DynamoDB Local), waits for health UP
 * and checks that the second lookup is served from the cache.
 */
class PackagedJarIT {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void theLibrarysJarsAsAnApplicationGetsThemHaveModuleNamesLicensesAndReproducibleTimes() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar"));
		List<String> checked = new ArrayList<>();
		try (ZipFile application = new ZipFile(jar.toFile())) {
			for (ZipEntry nested : Collections.list(application.entries())) {
				String name = nested.getName();
				if (!name.startsWith("BOOT-INF/lib/dynamodb-cache-") || !name.endsWith(".jar")) {
					continue;
				}
				try (JarInputStream library = new JarInputStream(
						application.getInputStream(nested))) {
					assertThat(library.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).as(name)
						.matches("io\\.dynamodbcache(\\.[a-z0-9]+)+");
					java.util.Set<String> entries = new HashSet<>();
					for (JarEntry entry = library.getNextJarEntry(); entry != null; entry = library
						.getNextJarEntry()) {
						entries.add(entry.getName());
						assertThat(entry.getLastModifiedTime().toInstant()).as(name + " " + entry.getName())
							.isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
					}
					assertThat(entries).as(name).contains("META-INF/LICENSE", "META-INF/NOTICE");
				}
				checked.add(name);
			}
		}
		assertThat(checked).as("the library's jars in the application").hasSizeGreaterThanOrEqualTo(3);
		try (java.util.jar.JarFile application = new java.util.jar.JarFile(jar.toFile())) {
			assertThat(application.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
				.isEqualTo("ALL-UNNAMED");
		}
	}

	@Test
	void packagedJarStartsOnEmbeddedDynamoDbAndServesTheSecondCallFromTheCache() throws Exception {
		startsAndServesTheSecondCallFromTheCache(List.of());
	}

	/**
	 * The same with the bean definitions Spring AOT generated at build time ({@code process-aot}) instead of
	 * the configuration classes, as a GraalVM native image would run them (the native image itself is not
	 * built here).
	 */
	@Test
	void packagedJarRunsWithSpringAotsGeneratedBeanDefinitions() throws Exception {
		try (ZipFile application = new ZipFile(System.getProperty("sample.jar"))) {
			assertThat(application.getEntry(
					"BOOT-INF/classes/io/dynamodbcache/sample/SampleApplication__ApplicationContextInitializer.class"))
				.as("AOT-generated initializer in the jar")
				.isNotNull();
		}
		startsAndServesTheSecondCallFromTheCache(List.of("-Dspring.aot.enabled=true"));
	}

	private void startsAndServesTheSecondCallFromTheCache(List<String> jvmArguments) throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar"));
		assertThat(jar).exists();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path log = Files.createTempFile("sample-app", ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java));
		command.addAll(jvmArguments);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--sample.lookup-millis=500",
				"--java.io.tmpdir=" + jar.getParent()));
		Process process = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File(jar.getParent().toString()))
			.start();
		try {
			waitForHealthUp(port, process, log);

			String first = get(port, "/books/978-0441013593");
			String second = get(port, "/books/978-0441013593");

			assertThat(first).contains("\"cacheHit\":false");
			assertThat(second).contains("\"cacheHit\":true").contains("Title of 978-0441013593");
			// On Java 24 and later, DynamoDB Local's native SQLite would be a restricted call without the jar's
			// Enable-Native-Access (Java 17 to 23 have no such check).
			assertThat(Files.readString(log)).doesNotContain("A restricted method");
		}
		finally {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private void waitForHealthUp(int port, Process process, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("application exited early:%n%s", Files.readString(log)).isTrue();
			try {
				if (get(port, "/actuator/health").contains("\"status\":\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(500);
		}
		throw new AssertionError("No health UP within 120 s:\n" + Files.readString(log));
	}

	private String get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}
