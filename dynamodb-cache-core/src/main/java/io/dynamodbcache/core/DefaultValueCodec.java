package io.dynamodbcache.core;

import java.util.List;

/**
 * The codec of a store built without one: {@link JacksonValueCodec} when Jackson 2 and its modules are on the
 * class path, else {@link Jackson3ValueCodec} when Jackson 3 is (both write the same format), allowing JDK value
 * types only. Each is made in its own class, so that the other generation is never loaded.
 */
final class DefaultValueCodec {

	/** The classes JacksonValueCodec needs, one from each Jackson 2 artifact. */
	static final List<String> JACKSON2_CLASSES = List.of("com.fasterxml.jackson.databind.json.JsonMapper",
			"com.fasterxml.jackson.datatype.jsr310.JavaTimeModule", "com.fasterxml.jackson.datatype.jdk8.Jdk8Module",
			"com.fasterxml.jackson.module.paramnames.ParameterNamesModule");

	/** The artifacts that JacksonValueCodec needs, as an error message names them. */
	static final String JACKSON2_ARTIFACTS = "com.fasterxml.jackson.core:jackson-databind, "
			+ "com.fasterxml.jackson.datatype:jackson-datatype-jsr310, com.fasterxml.jackson.datatype:jackson-datatype-jdk8 "
			+ "and com.fasterxml.jackson.module:jackson-module-parameter-names";

	static final String JACKSON3_CLASS = "tools.jackson.databind.json.JsonMapper";

	private DefaultValueCodec() {
	}

	static ValueCodec create() {
		ClassLoader classLoader = DefaultValueCodec.class.getClassLoader();
		if (JACKSON2_CLASSES.stream().allMatch((name) -> isPresent(name, classLoader))) {
			return Jackson2.create();
		}
		if (isPresent(JACKSON3_CLASS, classLoader)) {
			return Jackson3.create();
		}
		throw new IllegalStateException("No JSON library to encode cached values with: add Jackson 3 "
				+ "(tools.jackson.core:jackson-databind) or Jackson 2 (" + JACKSON2_ARTIFACTS + ") to the application's "
				+ "dependencies, or give the store a codec with DynamoDbCacheStoreBuilder.codec(...)");
	}

	/** Fails, naming every artifact, unless JacksonValueCodec has all it needs on the class path. */
	static void requireJackson2() {
		ClassLoader classLoader = DefaultValueCodec.class.getClassLoader();
		List<String> missing = JACKSON2_CLASSES.stream().filter((name) -> !isPresent(name, classLoader)).toList();
		if (!missing.isEmpty()) {
			throw new IllegalStateException("JacksonValueCodec needs " + JACKSON2_ARTIFACTS + " on the class path; "
					+ "missing: " + String.join(", ", missing) + ". Add them, or use Jackson3ValueCodec with "
					+ "tools.jackson.core:jackson-databind");
		}
	}

	static boolean isPresent(String className, ClassLoader classLoader) {
		try {
			Class.forName(className, false, classLoader);
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static final class Jackson2 {

		static ValueCodec create() {
			return JacksonValueCodec.create();
		}

	}

	private static final class Jackson3 {

		static ValueCodec create() {
			return Jackson3ValueCodec.create();
		}

	}

}
