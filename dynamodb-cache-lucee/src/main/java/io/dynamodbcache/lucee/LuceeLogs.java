package io.dynamodbcache.lucee;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import lucee.commons.io.log.Log;

/**
 * The Lucee logs that the connections of this bundle name with their {@code log} setting: where the lines
 * the store, the near cache and the settings log through SLF4J go ({@link LuceeLogProvider}). A line goes to
 * every log a live connection names (one, unless connections name different logs), with its level.
 */
final class LuceeLogs {

	/** Each live connection's log, by connection: connections often share one. */
	private static final Map<Object, Log> logs = new ConcurrentHashMap<>();

	private LuceeLogs() {
	}

	static void add(Object connection, Log log) {
		logs.put(connection, log);
	}

	static void remove(Object connection) {
		logs.remove(connection);
	}

	/** Run the action once for each log that a live connection names. */
	static void each(Consumer<Log> action) {
		Set<Log> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
		distinct.addAll(logs.values());
		distinct.forEach(action);
	}

	/** Whether any log takes lines of the level (Lucee's levels, whose order is not their numbers'). */
	static boolean anyTakes(int level) {
		for (Log log : logs.values()) {
			if (rank(level) >= rank(log.getLogLevel())) {
				return true;
			}
		}
		return false;
	}

	/** Lucee numbers INFO 1 and DEBUG 2; by severity DEBUG comes first. */
	private static int rank(int level) {
		return switch (level) {
			case Log.LEVEL_TRACE -> 0;
			case Log.LEVEL_DEBUG -> 1;
			case Log.LEVEL_INFO -> 2;
			case Log.LEVEL_WARN -> 3;
			case Log.LEVEL_ERROR -> 4;
			default -> 5;
		};
	}

}
