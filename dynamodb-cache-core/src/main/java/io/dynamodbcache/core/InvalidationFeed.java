package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import io.dynamodbcache.core.RequestPath.Target;
import io.dynamodbcache.core.StreamReader.ChangedKey;

/**
 * The invalidation feed in the table: one partition, {@value #PARTITION}, whose items are numbered entries
 * of changed keys that the elected stream reader writes, in order and without gaps, and that every node
 * reads with one Query per poll. Each entry also holds the stream reader's checkpoint, from which the next
 * reader goes on. The last item of the partition (sort key {@value #LEASE_SORT_KEY}, after every entry) is
 * the reader's lease, so that the same Query also tells every node whether the reader is alive.
 * <p>
 * Entries expire after {@link #RETENTION} (the table's TTL attribute); a node that falls further behind
 * finds a gap and drops all its copies.
 */
final class InvalidationFeed {

	/** The feed's partition key: it has no {@code #}, so no cache name can map to it. */
	static final String PARTITION = "~invalidations";

	/** The lease's sort key: {@code ~} sorts after the digits of every entry's number. */
	static final String LEASE_SORT_KEY = "~reader";

	static final Duration RETENTION = Duration.ofHours(1);

	/** Entries per poll, so that one poll reads at most about 100 entries' worth of keys. */
	private static final int PAGE = 100;

	/** Bounds of one entry, far under DynamoDB's 400 KB item limit. */
	static final int MAX_KEYS = 500;

	static final int MAX_KEY_BYTES = 200_000;

	private static final String CACHE_NAMES = "c";

	private static final String SORT_KEYS = "k";

	private static final String CHECKPOINT = "cp";

	private static final String RESET = "reset";

	private static final String TOKEN = "tok";

	private final TableClient table;

	private final Clock clock;

	InvalidationFeed(TableClient table, Clock clock) {
		this.table = table;
		this.clock = clock;
	}

	/**
	 * The entries after the given number, in order, and the lease's token when the page reached the end of
	 * the partition.
	 * @param consistent whether to read strongly consistently (twice the cost)
	 */
	Page after(long sequence, boolean consistent) {
		QueryResponse response = this.table.queryRange(Target.TABLE, PARTITION,
				Expressions.sortKeyAfter(sortKey(sequence)), true, PAGE, consistent);
		List<Entry> entries = new ArrayList<>(response.count());
		String token = null;
		boolean sawLease = false;
		for (Map<String, AttributeValue> item : response.items()) {
			String sortKey = item.get(ItemLayout.SORT_KEY).s();
			if (LEASE_SORT_KEY.equals(sortKey)) {
				sawLease = true;
				AttributeValue held = item.get(TOKEN);
				token = (held != null) ? held.s() : null;
			}
			else {
				Entry entry = Entry.of(item);
				if (entry != null) {
					entries.add(entry);
				}
			}
		}
		boolean complete = sawLease || !response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty();
		return new Page(entries, token, complete);
	}

	/** The newest entry, read strongly consistently; {@code null} if the feed has none. */
	@Nullable Entry last() {
		QueryResponse response = this.table.queryRange(Target.TABLE, PARTITION,
				Expressions.sortKeyBefore(LEASE_SORT_KEY), false, 1, true);
		return response.items().isEmpty() ? null : Entry.of(response.items().get(0));
	}

	/**
	 * Write an entry, if its number is free.
	 * @throws ConditionalCheckFailedException if another reader wrote an entry of that number
	 */
	void publish(Entry entry) {
		Map<String, AttributeValue> item = new HashMap<>();
		item.put(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PARTITION));
		item.put(ItemLayout.SORT_KEY, AttributeValue.fromS(sortKey(entry.sequence())));
		item.put(CACHE_NAMES, AttributeValue.fromL(entry.keys().stream().map((key) -> AttributeValue.fromS(key.cacheName())).toList()));
		item.put(SORT_KEYS, AttributeValue.fromL(entry.keys().stream().map((key) -> AttributeValue.fromS(key.sortKey())).toList()));
		Map<String, AttributeValue> checkpoint = new HashMap<>();
		entry.checkpoint().forEach((shard, position) -> checkpoint.put(shard, AttributeValue.fromS(position)));
		item.put(CHECKPOINT, AttributeValue.fromM(checkpoint));
		item.put(RESET, AttributeValue.fromBool(entry.reset()));
		item.put(ItemLayout.EXPIRES_AT, Expressions.number(expiry(RETENTION)));
		this.table.putItem(Target.TABLE, () -> item, Expressions.absent());
	}

	/**
	 * Take the lease of the stream reader, if no one holds it or the given token (that of a holder taken to
	 * be gone) still does; also renews a lease held with that token.
	 * @return whether the lease is now held with the new token
	 */
	boolean takeLease(@Nullable String expectedToken, String newToken) {
		Map<String, AttributeValue> item = Map.of(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PARTITION),
				ItemLayout.SORT_KEY, AttributeValue.fromS(LEASE_SORT_KEY), TOKEN, AttributeValue.fromS(newToken),
				ItemLayout.EXPIRES_AT, Expressions.number(expiry(Duration.ofDays(1))));
		Expression condition = (expectedToken != null) ? Expressions.holding(TOKEN, AttributeValue.fromS(expectedToken))
				: Expressions.absent();
		try {
			this.table.putItem(Target.TABLE, () -> item, condition);
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/** Give the lease up, if the token still holds it, so that another node takes over at once. */
	void releaseLease(String token) {
		try {
			this.table.deleteItem(Target.TABLE, leaseKey(), Expressions.holding(TOKEN, AttributeValue.fromS(token)),
					ReturnValue.NONE);
		}
		catch (ConditionalCheckFailedException ex) {
			// Taken over already.
		}
	}

	private static Map<String, AttributeValue> leaseKey() {
		return Map.of(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PARTITION), ItemLayout.SORT_KEY,
				AttributeValue.fromS(LEASE_SORT_KEY));
	}

	private long expiry(Duration retention) {
		return (this.clock.millis() + retention.toMillis()) / 1000;
	}

	/** Entries' sort keys: numbers of 19 digits, so that they sort as numbers do. */
	static String sortKey(long sequence) {
		return String.format("%019d", sequence);
	}

	/**
	 * Split changed keys into entries within an item's bounds.
	 * @return the groups of keys, one per entry, in order
	 */
	static List<List<ChangedKey>> split(List<ChangedKey> keys) {
		List<List<ChangedKey>> groups = new ArrayList<>();
		List<ChangedKey> group = new ArrayList<>();
		int bytes = 0;
		for (ChangedKey key : keys) {
			int size = key.cacheName().getBytes(StandardCharsets.UTF_8).length
					+ key.sortKey().getBytes(StandardCharsets.UTF_8).length + 8;
			if (!group.isEmpty() && (group.size() >= MAX_KEYS || bytes + size > MAX_KEY_BYTES)) {
				groups.add(group);
				group = new ArrayList<>();
				bytes = 0;
			}
			group.add(key);
			bytes += size;
		}
		if (!group.isEmpty()) {
			groups.add(group);
		}
		return groups;
	}

	/**
	 * One entry of the feed.
	 * @param sequence its number, from 1, without gaps
	 * @param keys the keys changed
	 * @param checkpoint where the stream reader stood once these keys were written, by shard
	 * @param reset whether every node is to drop all its copies (the reader lost or had no place in the stream)
	 */
	record Entry(long sequence, List<ChangedKey> keys, Map<String, String> checkpoint, boolean reset) {

		static @Nullable Entry of(Map<String, AttributeValue> item) {
			try {
				long sequence = Long.parseLong(item.get(ItemLayout.SORT_KEY).s());
				List<AttributeValue> names = item.get(CACHE_NAMES).l();
				List<AttributeValue> sortKeys = item.get(SORT_KEYS).l();
				List<ChangedKey> keys = new ArrayList<>(names.size());
				for (int i = 0; i < names.size(); i++) {
					keys.add(new ChangedKey(names.get(i).s(), sortKeys.get(i).s()));
				}
				Map<String, String> checkpoint = new HashMap<>();
				item.get(CHECKPOINT).m().forEach((shard, position) -> checkpoint.put(shard, position.s()));
				AttributeValue reset = item.get(RESET);
				return new Entry(sequence, keys, checkpoint, reset != null && Boolean.TRUE.equals(reset.bool()));
			}
			catch (RuntimeException ex) {
				// Not an entry this version wrote (or a damaged one): a gap, which drops every copy.
				return null;
			}
		}

	}

	/**
	 * A page of the feed.
	 * @param entries the entries, in order
	 * @param leaseToken the reader's lease token, {@code null} if there is no lease or the page did not reach it
	 * @param complete whether the page reached the end of the feed (and so the lease)
	 */
	record Page(List<Entry> entries, @Nullable String leaseToken, boolean complete) {
	}

}
