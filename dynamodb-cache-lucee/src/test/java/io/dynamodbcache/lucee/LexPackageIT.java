package io.dynamodbcache.lucee;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged Lucee extension: a manifest that registers the cache class with its Maven coordinates, and
 * the jars it needs in an embedded Maven repository, without Lucee itself or anything of Spring.
 */
class LexPackageIT {

	@Test
	void lexRegistersTheCacheAndEmbedsItsDependencies() throws IOException {
		Path lex = Path.of(System.getProperty("lex.file"));
		String coordinates = System.getProperty("lex.coordinates");
		try (ZipFile zip = new ZipFile(lex.toFile())) {
			Manifest manifest;
			try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF"))) {
				manifest = new Manifest(in);
			}
			var attributes = manifest.getMainAttributes();
			assertThat(attributes.getValue("id")).as("Lucee UUID: 8-4-4-16 hex digits").matches("\"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}\"");
			assertThat(attributes.getValue("start-bundles")).isEqualTo("false");
			assertThat(attributes.getValue("cache")).isEqualTo("\"[{'class':'io.dynamodbcache.lucee.DynamoDbLuceeCache',"
					+ "'maven':'" + coordinates + "'}]\"");

			List<String> entries = zip.stream().map(ZipEntry::getName).toList();
			String[] gav = coordinates.split(":");
			assertThat(entries).contains("maven/io/dynamodbcache/dynamodb-cache-lucee/" + gav[2]
					+ "/dynamodb-cache-lucee-" + gav[2] + ".jar");
			assertThat(entries).anyMatch((name) -> name.matches("maven/io/dynamodbcache/dynamodb-cache-core/.*\\.jar"));
			assertThat(entries).anyMatch((name) -> name.matches("maven/software/amazon/awssdk/dynamodb/.*\\.jar"));
			assertThat(entries).anyMatch((name) -> name.matches("maven/com/fasterxml/jackson/core/jackson-databind/.*\\.jar"));
			assertThat(entries).noneMatch((name) -> name.contains("org/lucee/") || name.contains("springframework")
					|| name.contains("DynamoDBLocal") || name.contains("junit"));
		}
	}

}
