package io.dynamodbcache.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Decides by class name alone (so that a denied class is never loaded) whether a type may be written to or
 * read from the table: JDK value and collection types, plus the packages and classes the user allowed.
 */
final class TypeAllowList {

	private static final Set<String> JDK_TYPES = Set.of("java.lang.String", "java.lang.Boolean",
			"java.lang.Character", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
			"java.lang.Float", "java.lang.Double", "java.math.BigDecimal", "java.math.BigInteger", "java.util.Date",
			"java.util.UUID", "java.util.Locale", "java.util.Currency", "java.net.URI",
			"java.util.concurrent.TimeUnit", "java.util.EnumMap", "java.util.EnumSet",
			"java.util.ArrayList", "java.util.LinkedList",
			"java.util.ArrayDeque", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
			"java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
			"java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentSkipListMap",
			"java.util.concurrent.CopyOnWriteArrayList", "java.util.Arrays$ArrayList",
			"java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
			"java.util.ImmutableCollections$SubList", "java.util.ImmutableCollections$Set12",
			"java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1",
			"java.util.ImmutableCollections$MapN", "java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
			"java.util.Collections$EmptyMap", "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
			"java.util.Collections$SingletonMap", "java.util.Collections$UnmodifiableList",
			"java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
			"java.util.Collections$UnmodifiableMap", "java.util.Collections$SynchronizedList",
			"java.util.Collections$SynchronizedRandomAccessList", "java.util.Collections$SynchronizedSet",
			"java.util.Collections$SynchronizedMap");

	private static final List<String> JDK_PACKAGES = List.of("java.time.");

	/** The codec's own stored forms of containers that JSON cannot hold as they are. */
	private static final Set<String> INTERNAL_TYPES = Set.of(KeyedContainers.KeyedMap.class.getName(),
			KeyedContainers.KeyedEnumSet.class.getName(), KeyedContainers.ImmutableCopy.class.getName(),
			KeyedContainers.OptionalCopy.class.getName());

	private static final Pattern TYPE_ID_SEPARATORS = Pattern.compile("[<>,\\s]+");

	private static final Set<Character> PRIMITIVE_ARRAY_CODES = Set.of('Z', 'B', 'C', 'S', 'I', 'J', 'F', 'D');

	private final List<String> packagePrefixes;

	private final Set<String> classNames;

	TypeAllowList(List<String> packages, Set<String> classNames) {
		this.packagePrefixes = packages.stream().map((name) -> name.endsWith(".") ? name : name + ".").toList();
		this.classNames = Set.copyOf(classNames);
	}

	/** A package name that may be allowed as a whole, else an exception that says what to allow instead. */
	static String checkedPackageName(String name) {
		Objects.requireNonNull(name, "Package name must not be null");
		if (name.isBlank() || name.equals("java") || name.startsWith("java.") || name.startsWith("javax.")) {
			throw new IllegalArgumentException("Package '" + name + "' cannot be allowed as a whole: "
					+ "allow the application's own packages, or single classes with allowTypes(...)");
		}
		return name;
	}

	/** A fully qualified class name, trimmed, else an exception that says what is expected. */
	static String checkedClassName(String name) {
		Objects.requireNonNull(name, "Type name must not be null");
		if (name.isBlank() || name.contains("<") || name.endsWith(".")) {
			throw new IllegalArgumentException("'" + name + "' is not a class name: use a fully qualified "
					+ "class name such as java.net.InetAddress, or allowPackages(...) for a package");
		}
		return name.trim();
	}

	boolean isAllowed(String className) {
		if (className.startsWith("[")) {
			return isAllowedArray(className.substring(1));
		}
		if (JDK_TYPES.contains(className) || INTERNAL_TYPES.contains(className) || this.classNames.contains(className)
				|| KotlinModules.EMPTY_COLLECTIONS.contains(className)) {
			return true;
		}
		return startsWithAny(className, JDK_PACKAGES) || startsWithAny(className, this.packagePrefixes);
	}

	/**
	 * Check every class named in a type id, generic parameters included (such as
	 * {@code java.util.ArrayList<com.example.Book>}), by name.
	 * @return the first class that is not allowed, or {@code null} if all are
	 */
	@Nullable String firstDeniedClassIn(String typeId) {
		boolean parameter = false;
		for (String name : TYPE_ID_SEPARATORS.split(typeId)) {
			// Object as a type parameter (an EnumMap<Color, Object> field's id) loads nothing: its values carry
			// type ids of their own.
			boolean anything = parameter && name.equals("java.lang.Object");
			if (!name.isEmpty() && !name.equals("?") && !anything && !isAllowed(name)) {
				return name;
			}
			parameter = true;
		}
		return null;
	}

	/**
	 * A type id a JSON codec is about to write, refused if a read would refuse it: every class of a generic id
	 * (an EnumSet field's is generic) is checked.
	 * @param codecName the codec whose builder the refusal's message names
	 */
	@Nullable String checkedToWrite(@Nullable String typeId, String codecName) {
		String denied = (typeId != null) ? firstDeniedClassIn(typeId) : null;
		if (denied != null) {
			throw new TypeNotAllowedException(denied, codecName);
		}
		return typeId;
	}

	private boolean isAllowedArray(String component) {
		if (component.startsWith("[")) {
			return isAllowedArray(component.substring(1));
		}
		if (component.length() == 1) {
			return PRIMITIVE_ARRAY_CODES.contains(component.charAt(0));
		}
		if (!component.startsWith("L") || !component.endsWith(";")) {
			return false;
		}
		String elementClass = component.substring(1, component.length() - 1);
		// An Object[] loads nothing itself: its elements carry type ids of their own.
		return elementClass.equals("java.lang.Object") || isAllowed(elementClass);
	}

	private static boolean startsWithAny(String className, List<String> prefixes) {
		for (String prefix : prefixes) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "JDK value types, packages " + this.packagePrefixes + ", classes " + this.classNames;
	}

}
