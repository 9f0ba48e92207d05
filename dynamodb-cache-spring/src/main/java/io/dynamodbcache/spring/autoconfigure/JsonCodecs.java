package io.dynamodbcache.spring.autoconfigure;

import java.util.List;

import io.dynamodbcache.core.Jackson3ValueCodec;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.core.ValueCodec;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheProperties.Codec;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The JSON codec that {@code dynamodb.cache.codec} chooses, by default the JSON library of the application's
 * Spring Boot generation: Jackson 3 on Spring Boot 4, Jackson 2 on Spring Boot 3. Each generation's codec is made
 * in its own class, so that neither is loaded unless it is chosen.
 */
final class JsonCodecs {

	private static final String JACKSON3 = "tools.jackson.databind.json.JsonMapper";

	/** One class of each artifact that JacksonValueCodec needs. */
	private static final List<String> JACKSON2 = List.of("com.fasterxml.jackson.databind.json.JsonMapper",
			"com.fasterxml.jackson.datatype.jsr310.JavaTimeModule", "com.fasterxml.jackson.datatype.jdk8.Jdk8Module",
			"com.fasterxml.jackson.module.paramnames.ParameterNamesModule");

	private static final String JACKSON2_ARTIFACTS = "Jackson 2 (com.fasterxml.jackson.core:jackson-databind, "
			+ "com.fasterxml.jackson.datatype:jackson-datatype-jsr310, com.fasterxml.jackson.datatype:jackson-datatype-jdk8 "
			+ "and com.fasterxml.jackson.module:jackson-module-parameter-names)";

	/** A class of Spring Boot 4 (its spring-boot-cache module) that Spring Boot 3 does not have. */
	private static final String BOOT4 = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration";

	private JsonCodecs() {
	}

	static ValueCodec create(@Nullable Codec chosen, List<String> packages, List<String> typeNames,
			@Nullable ClassLoader classLoader) {
		Codec codec = (chosen != null) ? chosen : defaultCodec(classLoader);
		if (codec == Codec.JACKSON) {
			require(List.of(JACKSON3), classLoader, "jackson", "Jackson 3 (tools.jackson.core:jackson-databind)",
					"jackson2");
			return Jackson3.create(packages, typeNames);
		}
		require(JACKSON2, classLoader, "jackson2", JACKSON2_ARTIFACTS, "jackson");
		return Jackson2.create(packages, typeNames);
	}

	static Codec defaultCodec(@Nullable ClassLoader classLoader) {
		boolean jackson3 = ClassUtils.isPresent(JACKSON3, classLoader);
		if (jackson3 && (ClassUtils.isPresent(BOOT4, classLoader) || !allPresent(JACKSON2, classLoader))) {
			return Codec.JACKSON;
		}
		return Codec.JACKSON2;
	}

	private static boolean allPresent(List<String> classNames, @Nullable ClassLoader classLoader) {
		return classNames.stream().allMatch((name) -> ClassUtils.isPresent(name, classLoader));
	}

	private static void require(List<String> classNames, @Nullable ClassLoader classLoader, String value,
			String library, String other) {
		if (!allPresent(classNames, classLoader)) {
			throw new IllegalStateException("dynamodb.cache.codec=" + value + " needs " + library
					+ " on the class path: add it to the application's dependencies, or set dynamodb.cache.codec="
					+ other);
		}
	}

	private static final class Jackson3 {

		static ValueCodec create(List<String> packages, List<String> typeNames) {
			return Jackson3ValueCodec.builder().allowPackages(packages).allowTypeNames(typeNames).build();
		}

	}

	private static final class Jackson2 {

		static ValueCodec create(List<String> packages, List<String> typeNames) {
			return JacksonValueCodec.builder().allowPackages(packages).allowTypeNames(typeNames).build();
		}

	}

}
