package io.dynamodbcache.core;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The containers that JSON cannot hold as they are, in a form it can, and back: a map whose keys are not
 * all strings (JSON object keys are strings, so {@code Map<Long, String>} or the
 * {@code Map<Genre, List<Book>>} of {@code groupingBy} would come back with string keys) becomes a
 * {@link KeyedMap} of typed entries, and an {@code EnumSet} (which has no public constructor) a
 * {@link KeyedEnumSet}; the unmodifiable collections of {@code List.of}, {@code Set.of} and {@code Map.of}
 * (which Jackson would read back as other classes) an {@link ImmutableCopy}; an {@code Optional} (which
 * Jackson would write as its content alone) an {@link OptionalCopy}. Only values in {@code Object}-typed
 * places are changed: the top-level value, the elements of collections, maps and arrays, and (through
 * {@link ObjectTypedPlaces}) the fields of records and POJOs typed {@code Object} or holding
 * {@code Object}-typed elements; a map field with a declared key type is left to Jackson, which honours it.
 * Every class named in stored data is checked against the allow-list by name before it is loaded.
 */
final class KeyedContainers {

	private final TypeAllowList allowList;

	KeyedContainers(TypeAllowList allowList) {
		this.allowList = allowList;
	}

	/** The value with its containers in a form JSON holds. */
	@Nullable Object wrap(@Nullable Object value) {
		if (value instanceof EnumSet<?> set) {
			List<String> names = new ArrayList<>();
			set.forEach((constant) -> names.add(((Enum<?>) constant).name()));
			return new KeyedEnumSet(enumType(set), names);
		}
		if (value instanceof Map<?, ?> map && needsTypedKeys(map)) {
			List<List<@Nullable Object>> entries = new ArrayList<>();
			map.forEach((key, entryValue) -> {
				List<@Nullable Object> entry = new ArrayList<>(2);
				entry.add(wrap(key));
				entry.add(wrap(entryValue));
				entries.add(entry);
			});
			String keyType = (map instanceof EnumMap<?, ?> enumMap) ? checked(enumKeyType(enumMap)) : null;
			String type = checked(map.getClass().getName());
			if (keyType == null && !isUnmodifiable(type) && newInstanceOrNull(map.getClass()) == null) {
				throw new CacheCodecException("A " + type + " with keys that are not strings cannot be cached: it "
						+ "cannot be made anew on read; cache a HashMap, TreeMap or LinkedHashMap copy of it", null);
			}
			return new KeyedMap(type, keyType, entries);
		}
		if (value instanceof Optional<?> optional) {
			// Jackson writes an Optional in an Object-typed place as its content alone.
			return new OptionalCopy(optional.isPresent(), wrap(optional.orElse(null)));
		}
		if (isJdkImmutable(value)) {
			// Jackson would read these back as ArrayList or as Collections.unmodifiable... wrappers.
			if (value instanceof Map<?, ?> map) {
				return new ImmutableCopy("map", wrap(new LinkedHashMap<>(map)));
			}
			return new ImmutableCopy((value instanceof Set) ? "set" : "list",
					wrap(new ArrayList<>((Collection<?>) value)));
		}
		if (value instanceof Map<?, ?> map) {
			return copyIfChanged(map, this::wrap);
		}
		if (value instanceof Collection<?> collection) {
			return copyIfChanged(collection, this::wrap);
		}
		if (value instanceof Object[] array) {
			return copyIfChanged(array, this::wrap);
		}
		return value;
	}

	private static boolean isJdkImmutable(@Nullable Object value) {
		return value != null && value.getClass().getName().startsWith("java.util.ImmutableCollections$")
				&& (value instanceof Map || value instanceof Collection);
	}

	/**
	 * The value that {@link #wrap} stored as {@code stored}, if it is one of its forms, else {@code stored}
	 * itself. The codec calls it for each stored form as it is read, innermost first, so the elements are
	 * already restored.
	 */
	@Nullable Object restore(@Nullable Object stored) {
		if (stored instanceof KeyedEnumSet set) {
			return enumSet(set);
		}
		if (stored instanceof KeyedMap map) {
			return map(map);
		}
		if (stored instanceof OptionalCopy optional) {
			return optional.present() ? Optional.of(Objects.requireNonNull(optional.value())) : Optional.empty();
		}
		if (stored instanceof ImmutableCopy copy) {
			Object content = copy.content();
			try {
				return switch (copy.kind()) {
					case "map" -> Map.copyOf((Map<?, ?>) content);
					case "set" -> Set.copyOf((Collection<?>) content);
					case "list" -> List.copyOf((Collection<?>) content);
					default -> throw new CacheCodecException("Unknown immutable collection kind in a cached value", null);
				};
			}
			catch (ClassCastException | NullPointerException | IllegalArgumentException ex) {
				throw new CacheCodecException("Malformed immutable collection in a cached value", ex);
			}
		}
		return stored;
	}

	/**
	 * The type id of an EnumSet, such as {@code java.util.EnumSet<com.example.Genre>}, else {@code null}; an empty
	 * EnumMap is refused. Jackson finds the enum of an empty EnumSet or EnumMap by reflection into the JDK, which
	 * the module system forbids; an EnumSet's complement names it, an empty EnumMap has no way to.
	 */
	static @Nullable String enumContainerTypeId(Object value) {
		if (value instanceof EnumSet<?> set) {
			EnumSet<?> any = set.isEmpty() ? EnumSet.complementOf(set) : set;
			if (any.isEmpty()) {
				throw new CacheCodecException("An EnumSet of an enum without constants cannot be cached", null);
			}
			return "java.util.EnumSet<" + any.iterator().next().getDeclaringClass().getName() + ">";
		}
		if (value instanceof EnumMap<?, ?> map && map.isEmpty()) {
			throw new CacheCodecException("An empty EnumMap cannot be cached: its key type is not known at run "
					+ "time; cache a non-empty map, or a HashMap", null);
		}
		return null;
	}

	/** The JDK's unmodifiable maps of Map.of and Map.copyOf, which come back through Map.copyOf. */
	private static boolean isUnmodifiable(String type) {
		return type.startsWith("java.util.ImmutableCollections$Map");
	}

	private static boolean needsTypedKeys(Map<?, ?> map) {
		if (map instanceof EnumMap) {
			return true;
		}
		for (Object key : map.keySet()) {
			if (!(key instanceof String)) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Object enumSet(KeyedEnumSet stored) {
		Class<? extends Enum> type = (Class<? extends Enum>) load(stored.enumType());
		EnumSet set = EnumSet.noneOf(type);
		stored.names().forEach((name) -> set.add(Enum.valueOf(type, name)));
		return set;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Object map(KeyedMap stored) {
		Map<Object, Object> map;
		boolean unmodifiable = isUnmodifiable(stored.type());
		if (stored.enumKeyType() != null) {
			map = new EnumMap(load(stored.enumKeyType()));
		}
		else {
			map = unmodifiable ? new LinkedHashMap<>() : (Map<Object, Object>) instantiate(load(stored.type()));
		}
		for (List<@Nullable Object> entry : stored.entries()) {
			if (entry.size() != 2) {
				throw new CacheCodecException("Malformed map entry in a cached value", null);
			}
			map.put(entry.get(0), entry.get(1));
		}
		return unmodifiable ? Map.copyOf(map) : map;
	}

	/**
	 * The container (a collection, map or array) with every element passed through {@code change}: itself if
	 * nothing changed, else a new container of the same class; refused if that class cannot be made anew.
	 */
	@SuppressWarnings("unchecked")
	static <C> C copyIfChanged(C container, UnaryOperator<@Nullable Object> change) {
		if (container instanceof Map<?, ?> map) {
			boolean changed = false;
			List<Object[]> entries = new ArrayList<>();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object value = change.apply(entry.getValue());
				changed |= value != entry.getValue();
				entries.add(new Object[] { entry.getKey(), value });
			}
			if (!changed) {
				return container;
			}
			Map<Object, Object> copy = (Map<Object, Object>) newInstanceOrNull(map.getClass());
			boolean unmodifiable = copy == null && isJdkImmutable(map);
			if (copy == null && !unmodifiable) {
				throw cannotCopy(map);
			}
			Map<Object, Object> target = unmodifiable ? new LinkedHashMap<>() : copy;
			entries.forEach((entry) -> target.put(entry[0], entry[1]));
			return (C) (unmodifiable ? Map.copyOf(target) : target);
		}
		if (container instanceof Object[] array) {
			Object[] copy = null;
			for (int i = 0; i < array.length; i++) {
				Object value = change.apply(array[i]);
				if (value != array[i]) {
					if (value != null && !array.getClass().getComponentType().isInstance(value)) {
						throw new CacheCodecException("An array of " + array.getClass().getComponentType().getName()
								+ " holding a " + array[i].getClass().getName() + " cannot be cached faithfully: "
								+ "cache a List or an Object[] instead", null);
					}
					copy = (copy != null) ? copy : array.clone();
					copy[i] = value;
				}
			}
			return (copy != null) ? (C) copy : container;
		}
		Collection<?> collection = (Collection<?>) container;
		boolean changed = false;
		List<Object> elements = new ArrayList<>();
		for (Object element : collection) {
			Object value = change.apply(element);
			changed |= value != element;
			elements.add(value);
		}
		if (!changed) {
			return container;
		}
		Collection<Object> copy = (Collection<Object>) newInstanceOrNull(collection.getClass());
		if (copy == null) {
			if (!isJdkImmutable(collection)) {
				throw cannotCopy(collection);
			}
			return (C) ((collection instanceof Set) ? Set.copyOf(elements) : List.copyOf(elements));
		}
		copy.addAll(elements);
		return (C) copy;
	}

	/** Better refused than cached with its elements' types lost. */
	private static CacheCodecException cannotCopy(Object container) {
		return new CacheCodecException("A " + container.getClass().getName() + " holding maps with keys that are not "
				+ "strings, EnumSets or Optionals cannot be cached faithfully: it cannot be made anew with their "
				+ "stored forms; cache an ArrayList, HashSet or HashMap copy of it", null);
	}

	private Class<?> load(String className) {
		checked(className);
		try {
			return Class.forName(className, false, KeyedContainers.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			try {
				return Class.forName(className, false, Thread.currentThread().getContextClassLoader());
			}
			catch (ClassNotFoundException notThere) {
				throw new CacheCodecException("Type " + className + " of a cached value is not on the class path", ex);
			}
		}
	}

	private static Object instantiate(Class<?> type) {
		Object instance = newInstanceOrNull(type);
		if (instance == null) {
			throw new CacheCodecException("Cannot create a " + type.getName() + " for a cached value", null);
		}
		return instance;
	}

	private static @Nullable Object newInstanceOrNull(Class<?> type) {
		try {
			Constructor<?> constructor = type.getConstructor();
			return constructor.newInstance();
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private String enumType(EnumSet<?> set) {
		EnumSet<?> others = EnumSet.complementOf(set);
		if (set.isEmpty() && others.isEmpty()) {
			throw new CacheCodecException("An EnumSet of an enum without constants cannot be cached", null);
		}
		Enum<?> sample = (Enum<?>) (set.isEmpty() ? others.iterator().next() : set.iterator().next());
		return checked(sample.getDeclaringClass().getName());
	}

	/** Refuse a class the allow-list does not allow: on write what a read would refuse, and on read. */
	private String checked(String className) {
		if (!this.allowList.isAllowed(className)) {
			throw new CacheCodecException("Type " + className + " is not allowed in the cache", null);
		}
		return className;
	}

	private static String enumKeyType(EnumMap<?, ?> map) {
		if (map.isEmpty()) {
			throw new CacheCodecException("An empty EnumMap cannot be cached: its key type is not known at run time; "
					+ "cache a record that holds it, or a non-empty map", null);
		}
		return ((Enum<?>) map.keySet().iterator().next()).getDeclaringClass().getName();
	}

	/**
	 * A map with typed keys, as stored.
	 * @param type the map's class
	 * @param enumKeyType the key enum of an EnumMap, else {@code null}
	 * @param entries key and value pairs
	 */
	record KeyedMap(String type, @Nullable String enumKeyType, List<List<@Nullable Object>> entries) {
	}

	/**
	 * An unmodifiable collection of {@code List.of}, {@code Set.of} or {@code Map.of} (and their
	 * {@code copyOf}), as stored: rebuilt with {@code copyOf}, which gives the same classes.
	 * @param kind {@code list}, {@code set} or {@code map}
	 * @param content an ArrayList or LinkedHashMap of the elements
	 */
	record ImmutableCopy(String kind, @Nullable Object content) {
	}

	/**
	 * An Optional, as stored.
	 * @param present whether it holds a value
	 * @param value the value, or {@code null}
	 */
	record OptionalCopy(boolean present, @Nullable Object value) {
	}

	/**
	 * An EnumSet, as stored.
	 * @param enumType the enum
	 * @param names the constants' names
	 */
	record KeyedEnumSet(String enumType, List<String> names) {
	}

}
