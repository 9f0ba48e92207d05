package io.dynamodbcache.lucee;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

	private static Manifest manifest(ZipFile zip, ZipEntry entry) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			return new Manifest(in);
		}
	}

}
