package io.dynamodbcache.lucee;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged Lucee extension: a manifest with an OSGi version that registers the cache class by its bundle,
 * one OSGi bundle that holds the adapter and its dependencies (without Lucee itself or anything of Spring),
 * the function library and the Administrator's cache driver.
 */
class LexPackageIT {

	@Test
	void lexRegistersTheCacheAndShipsOneBundleWithItsDependencies() throws IOException {
		Path lex = Path.of(System.getProperty("lex.file"));
		String version = System.getProperty("lex.bundle.version");
		try (ZipFile zip = new ZipFile(lex.toFile())) {
			Manifest manifest = manifest(zip, zip.getEntry("META-INF/MANIFEST.MF"));
			var attributes = manifest.getMainAttributes();
			assertThat(attributes.getValue("id")).as("Lucee UUID: 8-4-4-16 hex digits").matches("\"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}\"");
			assertThat(attributes.getValue("version")).as("an OSGi version").isEqualTo("\"" + version + "\"")
				.matches("\"\\d+\\.\\d+\\.\\d+(\\.[A-Za-z0-9_-]+)?\"");
			assertThat(attributes.getValue("start-bundles")).isEqualTo("false");
			assertThat(attributes.getValue("cache")).isEqualTo("\"[{'class':'io.dynamodbcache.lucee.DynamoDbLuceeCache',"
					+ "'bundleName':'io.dynamodbcache.lucee','bundleVersion':'" + version + "'}]\"");

			// Reproducible: every entry carries the build's fixed timestamp, not the time it was zipped.
			Instant fixed = Instant.parse(System.getProperty("lex.output.timestamp"));
			assertThat(zip.stream()).as("entries stamped with project.build.outputTimestamp")
				.allMatch((entry) -> entry.getLastModifiedTime().toInstant().equals(fixed));
			List<String> entries = zip.stream().map(ZipEntry::getName).toList();
			assertThat(entries).contains("jars/io.dynamodbcache.lucee-" + version + ".jar",
					"flds/dynamodb-cache.fld", "context/admin/cdriver/DynamoDB.cfc");
			assertThat(entries).noneMatch((name) -> name.startsWith("maven/"));
			assertThat(entries).as("the license and notice").contains("LICENSE", "NOTICE");
			String functions = new String(zip.getInputStream(zip.getEntry("flds/dynamodb-cache.fld")).readAllBytes());
			assertThat(functions).contains("bundle-name=\"io.dynamodbcache.lucee\" bundle-version=\"" + version + "\"")
				.doesNotContain("@bundle");

			Path bundle = Files.createTempFile("lucee-bundle", ".jar");
			try (InputStream in = zip.getInputStream(zip.getEntry("jars/io.dynamodbcache.lucee-" + version + ".jar"))) {
				Files.copy(in, bundle, StandardCopyOption.REPLACE_EXISTING);
			}
			try (ZipFile jar = new ZipFile(bundle.toFile())) {
				var headers = manifest(jar, jar.getEntry("META-INF/MANIFEST.MF")).getMainAttributes();
				assertThat(headers.getValue("Bundle-SymbolicName")).isEqualTo("io.dynamodbcache.lucee");
				assertThat(headers.getValue("Bundle-Version")).isEqualTo(version);
				assertThat(jar.getEntry("META-INF/LICENSE")).as("the bundle's license").isNotNull();
				assertThat(jar.getEntry("META-INF/NOTICE")).as("the bundle's notices").isNotNull();
				List<String> classes = jar.stream().map(ZipEntry::getName).toList();
				assertThat(classes).contains("io/dynamodbcache/lucee/DynamoDbLuceeCache.class",
						"io/dynamodbcache/lucee/functions/DynamoDbCacheIncrement.class",
						"io/dynamodbcache/core/DynamoDbCacheStore.class",
						"software/amazon/awssdk/services/dynamodb/DynamoDbClient.class",
						"com/fasterxml/jackson/databind/ObjectMapper.class");
				assertThat(classes).noneMatch((name) -> name.startsWith("lucee/") || name.contains("springframework")
						|| name.contains("DynamoDBLocal") || name.contains("junit") || name.startsWith("io/netty/"));
			}
			finally {
				Files.delete(bundle);
			}
		}
	}

	/**
	 * Every license text of every library shaded into the bundle is in the bundle's license or notice files
 * (notices are merged by Apache's rules, which edit them, so only licenses are compared as written): the
	 * shade writes one file per path, so a library's {@code META-INF/LICENSE.txt} (SLF4J's MIT text, for
	 * one) disappeared under another library's unless the paths are merged. A library counts as shaded when
	 * the bundle holds one of its classes; its jar is the one on this test's class path.
	 */
	@Test
	void theBundleKeepsTheLicenseTextOfEveryLibraryItShades() throws IOException {
		Path lex = Path.of(System.getProperty("lex.file"));
		String version = System.getProperty("lex.bundle.version");
		Path bundle = Files.createTempFile("lucee-bundle", ".jar");
		try (ZipFile zip = new ZipFile(lex.toFile())) {
			try (InputStream in = zip.getInputStream(zip.getEntry("jars/io.dynamodbcache.lucee-" + version + ".jar"))) {
				Files.copy(in, bundle, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		try (ZipFile jar = new ZipFile(bundle.toFile())) {
			StringBuilder bundled = new StringBuilder();
			for (ZipEntry entry : jar.stream().filter(LexPackageIT::isLicense).toList()) {
				bundled.append(normalized(text(jar, entry))).append(' ');
			}
			List<String> missing = new ArrayList<>();
			int shaded = 0;
			for (String path : System.getProperty("java.class.path").split(File.pathSeparator)) {
				if (!path.endsWith(".jar")) {
					continue;
				}
				try (ZipFile library = new ZipFile(path)) {
					boolean inBundle = library.stream()
						.map(ZipEntry::getName)
						.filter((name) -> name.endsWith(".class") && !name.contains("module-info")
								&& !name.startsWith("META-INF/"))
						.findFirst()
						.map((name) -> jar.getEntry(name) != null)
						.orElse(false);
					if (!inBundle) {
						continue;
					}
					shaded++;
					for (ZipEntry license : library.stream()
						.filter((entry) -> isLicense(entry) && entry.getName().startsWith("META-INF/LICENSE"))
						.toList()) {
						if (!bundled.toString().contains(normalized(text(library, license)))) {
							missing.add(Path.of(path).getFileName() + "!" + license.getName());
						}
					}
				}
			}
			assertThat(shaded).as("libraries found in the bundle").isGreaterThan(20);
			assertThat(missing).as("license texts of shaded libraries that the bundle lost").isEmpty();
		}
		finally {
			Files.delete(bundle);
		}
	}

	private static boolean isLicense(ZipEntry entry) {
		String name = entry.getName();
		return name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0
				&& (name.startsWith("META-INF/LICENSE") || name.startsWith("META-INF/NOTICE"));
	}

	private static String text(ZipFile zip, ZipEntry entry) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String normalized(String text) {
		return text.replaceAll("\\s+", " ").trim();
	}

	private static Manifest manifest(ZipFile zip, ZipEntry entry) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			return new Manifest(in);
		}
	}

}
