package io.dynamodbcache.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata that the configuration processor writes for {@code dynamodb.cache.*}: a default for every
 * property that has one, and value hints for every property.
 */
class ConfigurationMetadataUnitTests {

	/**
	 * Properties whose default is "unset", which switches the feature off, defers to AWS's chains or (the codec)
	 * to the Spring Boot generation.
	 */
	private static final Set<String> UNSET_BY_DEFAULT = Set.of("region", "endpoint", "credentials.access-key-id",
			"credentials.secret-access-key", "time-to-live", "time-to-idle", "load-lease", "caches",
			"allowed-packages", "allowed-types", "cache-names", "codec");

	private final JsonNode metadata = read();

	@Test
	void everyPropertyWithADefaultDeclaresIt() {
		Set<String> withoutDefault = new HashSet<>();
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asText().substring("dynamodb.cache.".length());
			if (!property.has("defaultValue") && !UNSET_BY_DEFAULT.contains(name)) {
				withoutDefault.add(name);
			}
		}
		assertThat(withoutDefault).isEmpty();
		assertThat(defaultOf("table-name")).isEqualTo("dynamodb-cache");
		assertThat(defaultOf("shards")).isEqualTo("16");
		assertThat(defaultOf("compression-threshold")).isEqualTo("0B");
	}

	@Test
	void everyPropertyHasValueHintsAndEveryHintNamesAProperty() {
		Set<String> properties = new HashSet<>();
		this.metadata.get("properties").forEach((property) -> properties.add(property.get("name").asText()));
		Set<String> hinted = new HashSet<>();
		for (JsonNode hint : this.metadata.get("hints")) {
			String name = hint.get("name").asText();
			hinted.add(name.endsWith(".keys") ? name.substring(0, name.length() - ".keys".length()) : name);
			assertThat(hint.has("values") || hint.has("providers")).as(name).isTrue();
		}
		assertThat(hinted).containsExactlyInAnyOrderElementsOf(properties);
	}

	private String defaultOf(String name) {
		for (JsonNode property : this.metadata.get("properties")) {
			if (property.get("name").asText().equals("dynamodb.cache." + name)) {
				return property.get("defaultValue").asText();
			}
		}
		throw new IllegalArgumentException(name);
	}

	private static JsonNode read() {
		try (InputStream in = ConfigurationMetadataUnitTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return new ObjectMapper().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
