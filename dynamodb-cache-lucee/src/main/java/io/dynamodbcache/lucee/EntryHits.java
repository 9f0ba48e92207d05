package io.dynamodbcache.lucee;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hit counts and last-hit times of the most recently read entries, on this node only (bounded LRU).
 */
final class EntryHits {

	private static final int MAX_ENTRIES = 10_000;

	private final Map<String, Hits> hits = new LinkedHashMap<>(256, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Hits> eldest) {
			return size() > MAX_ENTRIES;
		}

	};

	synchronized Hits hit(String key, long now) {
		Hits previous = this.hits.get(key);
		Hits next = new Hits(((previous != null) ? previous.count() : 0) + 1, now);
		this.hits.put(key, next);
		return next;
	}

	synchronized Hits get(String key) {
		Hits current = this.hits.get(key);
		return (current != null) ? current : new Hits(0, 0);
	}

	synchronized void forget(String key) {
		this.hits.remove(key);
	}

	synchronized void clear() {
		this.hits.clear();
	}

	record Hits(int count, long lastHit) {
	}

}
