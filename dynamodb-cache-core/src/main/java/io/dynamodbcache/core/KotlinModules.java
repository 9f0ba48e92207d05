package io.dynamodbcache.core;

import org.jspecify.annotations.Nullable;

/**
 * Finds Jackson's Kotlin module, of either generation, by name: core does not depend on Kotlin, and an
 * application that has the module on its class path gets Kotlin data classes, default arguments and nullable
 * fields read back without configuring anything.
 */
final class KotlinModules {

	static final String JACKSON2_BUILDER = "com.fasterxml.jackson.module.kotlin.KotlinModule$Builder";

	static final String JACKSON3_BUILDER = "tools.jackson.module.kotlin.KotlinModule$Builder";

	private KotlinModules() {
	}

	/** A new module from the named Kotlin module builder, or {@code null} if it is not on the class path. */
	static @Nullable Object newModule(String builderClassName) {
		Class<?> builderClass;
		try {
			builderClass = Class.forName(builderClassName, false, KotlinModules.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
		try {
			Object builder = builderClass.getConstructor().newInstance();
			return builderClass.getMethod("build").invoke(builder);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			throw new IllegalStateException("Jackson's Kotlin module (" + builderClassName + ") is on the class path "
					+ "but could not be created: check that its version matches Jackson's", ex);
		}
	}

}
