package io.dynamodbcache.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Finds Jackson's Kotlin module, of either generation, by name: core does not depend on Kotlin, and an
 * application that has the module on its class path gets Kotlin data classes, default arguments and nullable
 * fields read back without configuring anything. Also knows Kotlin's empty collections ({@code emptyList()},
 * {@code emptySet()}, {@code emptyMap()}, which {@code listOf()} and friends return), singletons that are read
 * back as themselves.
 */
final class KotlinModules {

	/** Kotlin's empty list, set and map: singleton objects of the standard library. */
	static final Set<String> EMPTY_COLLECTIONS = Set.of("kotlin.collections.EmptyList", "kotlin.collections.EmptySet",
			"kotlin.collections.EmptyMap");

	static final String JACKSON2_BUILDER = "com.fasterxml.jackson.module.kotlin.KotlinModule$Builder";

	static final String JACKSON3_BUILDER = "tools.jackson.module.kotlin.KotlinModule$Builder";

	/** Looked up once per class (and so per class loader), not on every read of an empty collection. */
	private static final ClassValue<Object> SINGLETONS = new ClassValue<>() {

		@Override
		protected Object computeValue(Class<?> type) {
			return singleton(type);
		}

	};

	private KotlinModules() {
	}

	static boolean isEmptyCollection(Class<?> type) {
		return EMPTY_COLLECTIONS.contains(type.getName());
	}

	/** The singleton of one of Kotlin's empty collections, given a stored copy that must be empty. */
	static Object emptyCollection(Class<?> type, Object stored) {
		boolean empty = (stored instanceof Collection<?> collection) ? collection.isEmpty()
				: (stored instanceof Map<?, ?> map) && map.isEmpty();
		if (!empty) {
			throw new IllegalArgumentException("A stored " + type.getName() + " is not empty");
		}
		return SINGLETONS.get(type);
	}

	/** The singleton of one of Kotlin's empty collection classes. */
	private static Object singleton(Class<?> type) {
		// The singletons are private to the standard library: ask its public functions for them.
		// (A method handle, since they are declared in the facades' package-private parts.)
		String facade = switch (type.getName()) {
			case "kotlin.collections.EmptyList" -> "kotlin.collections.CollectionsKt:emptyList:java.util.List";
			case "kotlin.collections.EmptySet" -> "kotlin.collections.SetsKt:emptySet:java.util.Set";
			default -> "kotlin.collections.MapsKt:emptyMap:java.util.Map";
		};
		String[] parts = facade.split(":");
		MethodHandle emptyCollection;
		try {
			Class<?> facadeClass = Class.forName(parts[0], true, type.getClassLoader());
			emptyCollection = MethodHandles.publicLookup()
				.findStatic(facadeClass, parts[1], MethodType.methodType(Class.forName(parts[2])));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not find Kotlin's " + parts[1] + "()", ex);
		}
		try {
			return emptyCollection.invoke();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Kotlin's " + parts[1] + "() failed", ex);
		}
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
