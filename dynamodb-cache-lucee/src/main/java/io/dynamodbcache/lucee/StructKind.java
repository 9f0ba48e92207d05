package io.dynamodbcache.lucee;

import java.lang.reflect.Field;
import java.util.Locale;

import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.exp.PageException;
import lucee.runtime.type.Collection;
import lucee.runtime.type.Struct;
import lucee.runtime.util.Creation;

/**
 * The kind of a CFML struct that its stored form must keep: Lucee's struct type (which decides the order in
 * which CFML iterates the keys: {@code structNew("normal")} and {@code {}} differ), whether it keeps insertion
 * order and whether its keys are case-sensitive ({@code structNew("casesensitive")} can hold both {@code a}
 * and {@code A}).
 *
 * @param type Lucee's struct type ({@link Struct#TYPE_SYNC} for {@code {}}, the default)
 * @param ordered whether keys keep their insertion order
 * @param caseSensitive whether keys that differ only in case are different keys
 */
record StructKind(int type, boolean ordered, boolean caseSensitive) {

	private static final StructKind DEFAULT = new StructKind(Struct.TYPE_SYNC, false, false);

	static StructKind from(int type, boolean ordered, boolean caseSensitive) {
		if (caseSensitive) {
			return new StructKind(Struct.TYPE_UNDEFINED, ordered, true);
		}
		if (ordered || type == Struct.TYPE_LINKED) {
			return new StructKind(Struct.TYPE_LINKED, true, false);
		}
		boolean known = type == Struct.TYPE_WEAKED || type == Struct.TYPE_REGULAR || type == Struct.TYPE_SOFT;
		return known ? new StructKind(type, false, false) : DEFAULT;
	}

	/** Whether the stored form must name the type: it is not the default and no flag implies it. */
	boolean hasOwnType() {
		return !this.caseSensitive && !this.ordered && this.type != Struct.TYPE_SYNC;
	}

	/** Tell the kind of a struct from its behaviour, where Lucee's API offers no way to ask. */
	static StructKind of(Struct struct) {
		boolean caseSensitive = isCaseSensitive(struct);
		// Lucee makes case-sensitive structs over a ConcurrentHashMap (type "sync", unordered) or, when ordered
		// too, over a synchronized LinkedHashMap.
		int type = typeOf(struct);
		boolean ordered = (type == Struct.TYPE_LINKED) || (caseSensitive && type != Struct.TYPE_SYNC);
		return from(type, ordered, caseSensitive);
	}

	/** A new, empty struct of this kind. */
	Struct create(Creation creation) {
		if (!this.caseSensitive) {
			return creation.createStruct(this.type);
		}
		try {
			return creation.createStruct(this.ordered ? "ordered-casesensitive" : "casesensitive");
		}
		catch (PageException ex) {
			throw new IllegalStateException("This Lucee version cannot make case-sensitive structs", ex);
		}
	}

	private static boolean isCaseSensitive(Struct struct) {
		for (Collection.Key key : struct.keys()) {
			String name = key.getString();
			String otherCase = otherCase(name);
			if (!otherCase.equals(name)) {
				if (!struct.containsKey(key(otherCase))) {
					return true;
				}
				// The other case is found: either the struct ignores case, or it holds both spellings.
				return holdsExactly(struct, otherCase);
			}
		}
		// No key has letters, so no key can be lost either way: ask the struct for the setting it was made with.
		return declaredCaseSensitive(struct);
	}

	private static boolean holdsExactly(Struct struct, String name) {
		for (Collection.Key key : struct.keys()) {
			if (key.getString().equals(name)) {
				return true;
			}
		}
		return false;
	}

	private static boolean declaredCaseSensitive(Struct struct) {
		try {
			Field field = struct.getClass().getDeclaredField("caseSensitive");
			field.setAccessible(true);
			return field.getBoolean(struct);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return false;
		}
	}

	/** Lucee's struct implementations tell their type, but the {@link Struct} interface does not declare it. */
	private static int typeOf(Struct struct) {
		try {
			Object type = struct.getClass().getMethod("getType").invoke(struct);
			return (type instanceof Integer number) ? number : Struct.TYPE_UNDEFINED;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return Struct.TYPE_UNDEFINED;
		}
	}

	private static String otherCase(String name) {
		String upper = name.toUpperCase(Locale.ROOT);
		return upper.equals(name) ? name.toLowerCase(Locale.ROOT) : upper;
	}

	private static Collection.Key key(String name) {
		return CFMLEngineFactory.getInstance().getCreationUtil().createKey(name);
	}

}
