package io.dynamodbcache.core;

import java.time.Clock;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import io.dynamodbcache.core.RequestPath.Target;

/**
 * Atomic counters with a fixed window, one conditional UpdateItem per increment. An expired entry is removed
 * (unless it changed meanwhile) and the increment tried again; a live entry that is not a counter is refused,
 * as Redis's {@code INCR} refuses a value that is not an integer, rather than replaced by a counter.
 */
final class Counters {

	private static final int ATTEMPTS = 6;

	private final TableClient table;

	private final ItemLayout layout;

	private final ItemMapper mapper;

	private final EntryOperations entries;

	private final Clock clock;

	Counters(TableClient table, ItemLayout layout, ItemMapper mapper, EntryOperations entries, Clock clock) {
		this.table = table;
		this.layout = layout;
		this.mapper = mapper;
		this.entries = entries;
		this.clock = clock;
	}

	long increment(String cacheName, String key, long delta, long ttl) {
		Target target = Target.key(cacheName, key);
		Map<String, AttributeValue> primaryKey = this.layout.primaryKey(cacheName, key);
		this.table.ensureReady();
		for (int attempt = 1;; attempt++) {
			long now = this.clock.millis();
			long expiresAt = (ttl > 0) ? now + ttl : 0;
			try {
				Map<String, AttributeValue> updated = this.table.updateItem(target, primaryKey,
						Expressions.addToCounter(key, delta, now, expiresAt), Expressions.liveCounterOrAbsent(key, now),
						ReturnValue.UPDATED_NEW);
				return Long.parseLong(updated.get(ItemLayout.COUNTER).n());
			}
			catch (ConditionalCheckFailedException ex) {
				if (attempt >= ATTEMPTS) {
					throw this.table.translate("increment", target, ex);
				}
				removeBlockingEntry(target, cacheName, key, primaryKey, now);
			}
		}
	}

	/**
	 * Remove an expired entry; if it changed meanwhile, the next attempt sees it.
	 * @throws IllegalStateException if the key holds a live value that is not a counter
	 */
	private void removeBlockingEntry(Target target, String cacheName, String key,
			Map<String, AttributeValue> primaryKey, long now) {
		Map<String, AttributeValue> item = this.table.getItem(target, primaryKey, true, null);
		if (item == null) {
			return;
		}
		AttributeValue format = item.get(ItemLayout.FORMAT);
		boolean counter = format != null && String.valueOf(ItemLayout.FORMAT_COUNTER).equals(format.n());
		if (counter && ItemMapper.isLive(key, item, now)) {
			return;
		}
		// A value that reads back is the application's: refused. An expired or undecodable one is not a value.
		if (!counter && this.mapper.read(key, item, now) instanceof ItemMapper.Live) {
			throw new IllegalStateException("Key " + this.layout.describeKey(key) + " of cache '"
					+ cacheName + "' holds a value that is not a counter, which an increment would replace: remove it "
					+ "first, or count under another key");
		}
		this.entries.deleteIfUnchanged(cacheName, key, item);
	}

}
