package io.dynamodbcache.lucee;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import lucee.runtime.type.Collection;
import lucee.runtime.type.Struct;

/**
 * Makes a struct iterate its keys in a given order. Unordered structs iterate by hash bucket, and the keys of
 * one bucket in the order of the bucket's list: Lucee's {@code {}} (a {@code ConcurrentHashMapNullSupport})
 * and Java's {@code WeakHashMap} put a new key at the head of that list, {@code HashMap} at its tail. Entries put
 * in the wanted order therefore come back in another order where keys share a bucket ({@code Date} and
 * {@code Content-length} do, in a new {@code {}}); put in the reverse order, they come back as wanted.
 */
final class StructOrder {

	private StructOrder() {
	}

	/**
	 * A new struct holding the entries, iterating them in their order where the struct's map allows it.
	 * @param empty makes a new, empty struct of the wanted kind
	 * @param ordered whether the kind keeps insertion order (then one pass is enough)
	 * @param keys the keys, in the wanted order
	 * @param items the value of each key
	 */
	static Struct withEntries(Supplier<Struct> empty, boolean ordered, List<Collection.Key> keys, List<Object> items) {
		Struct struct = fill(empty.get(), keys, items, false);
		if (!ordered && !iteratesAs(struct, keys)) {
			Struct reversed = fill(empty.get(), keys, items, true);
			if (iteratesAs(reversed, keys)) {
				return reversed;
			}
		}
		return struct;
	}

	/** A new struct holding the source's entries, iterating them in the source's order where it can. */
	static Struct copy(Struct source, Supplier<Struct> empty) {
		List<Collection.Key> keys = new ArrayList<>(source.size());
		List<Object> items = new ArrayList<>(source.size());
		for (Iterator<Collection.Key> it = source.keyIterator(); it.hasNext();) {
			Collection.Key key = it.next();
			keys.add(key);
			items.add(source.get(key, null));
		}
		return withEntries(empty, false, keys, items);
	}

	private static Struct fill(Struct struct, List<Collection.Key> keys, List<Object> items, boolean reversed) {
		for (int i = 0; i < keys.size(); i++) {
			int index = (reversed) ? keys.size() - 1 - i : i;
			struct.setEL(keys.get(index), items.get(index));
		}
		return struct;
	}

	private static boolean iteratesAs(Struct struct, List<Collection.Key> keys) {
		Iterator<Collection.Key> actual = struct.keyIterator();
		for (Collection.Key key : keys) {
			if (!actual.hasNext() || !actual.next().getString().equals(key.getString())) {
				return false;
			}
		}
		return !actual.hasNext();
	}

}
