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
 * <p>
 * The lease also carries {@value #SEQUENCE}, the number of the last entry its holder had written when it last
 * renewed it (every third of a lease time), and keeps it when released: the reader's heartbeat, which tells
 * a node how far the feed really goes. Anyone who can write the table can write items into this partition,
 * so a number the reader has not vouched for is not trusted: an item far ahead is not jumped to, an item in a
 * slot the reader was about to write is skipped by it, and numbers from {@link #SEQUENCE_CEILING} on are never
 * the reader's (at a million entries a second, the feed would take 146,000 years to get there).
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

	static final String SEQUENCE = "seq";

	/** No reader numbers an entry this high: an item there was written by someone else. */
	static final long SEQUENCE_CEILING = Long.MAX_VALUE / 2;

	/** How many of the newest items are looked at for the newest intact entry. */
	private static final int NEWEST_LOOKED_AT = 25;

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
		Long leaseSequence = null;
		boolean sawLease = false;
		for (Map<String, AttributeValue> item : response.items()) {
			String sortKey = item.get(ItemLayout.SORT_KEY).s();
			if (LEASE_SORT_KEY.equals(sortKey)) {
				sawLease = true;
				AttributeValue held = item.get(TOKEN);
				token = (held != null) ? held.s() : null;
				leaseSequence = sequenceOf(item);
			}
			else {
				Entry entry = Entry.of(item);
				if (entry != null) {
					entries.add(entry);
				}
			}
		}
		boolean complete = sawLease || !response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty();
		return new Page(entries, token, leaseSequence, complete);
	}

	/**
	 * The newest intact entry numbered at most {@code sequence} (and below {@link #SEQUENCE_CEILING}), read
	 * strongly consistently; {@code null} if there is none among the newest few.
	 */
	@Nullable Entry lastAtOrBefore(long sequence) {
		long bound = Math.min(sequence, SEQUENCE_CEILING - 1);
		QueryResponse response = this.table.queryRange(Target.TABLE, PARTITION,
				Expressions.sortKeyBefore(sortKey(bound + 1)), false, NEWEST_LOOKED_AT, true);
		for (Map<String, AttributeValue> item : response.items()) {
			Entry entry = Entry.of(item);
			if (entry != null && !entry.damaged()) {
				return entry;
			}
		}
		return null;
	}

	/** The newest intact entry the reader can have written. */
	@Nullable Entry last() {
		return lastAtOrBefore(SEQUENCE_CEILING - 1);
	}

	/** The sequence number the lease carries, read strongly consistently; {@code null} without one. */
	@Nullable Long leaseSequence() {
		Map<String, AttributeValue> lease = this.table.getItem(Target.TABLE, leaseKey(), true, null);
		return (lease != null) ? sequenceOf(lease) : null;
	}

	private static @Nullable Long sequenceOf(Map<String, AttributeValue> lease) {
		AttributeValue sequence = lease.get(SEQUENCE);
		try {
			long value = (sequence != null && sequence.n() != null) ? Long.parseLong(sequence.n()) : -1;
			return (value >= 0 && value < SEQUENCE_CEILING) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
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
	 * @param written the number of the last entry the holder wrote, the lease's heartbeat
	 * @return whether the lease is now held with the new token
	 */
	boolean takeLease(@Nullable String expectedToken, String newToken, long written) {
		Map<String, AttributeValue> item = Map.of(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PARTITION),
				ItemLayout.SORT_KEY, AttributeValue.fromS(LEASE_SORT_KEY), TOKEN, AttributeValue.fromS(newToken),
				SEQUENCE, Expressions.number(Math.max(0, written)),
				ItemLayout.EXPIRES_AT, Expressions.number(expiry(Duration.ofDays(1))));
		// A released lease keeps its number but holds no token.
		Expression condition = (expectedToken != null) ? Expressions.holding(TOKEN, AttributeValue.fromS(expectedToken))
				: new Expression("attribute_not_exists(#tok)", Map.of("#tok", TOKEN), Map.of());
		try {
			this.table.putItem(Target.TABLE, () -> item, condition);
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/** Delete the item of an entry's number: one the reader found that no reader wrote. */
	void discard(long sequence) {
		this.table.deleteItem(Target.TABLE, Map.of(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PARTITION),
				ItemLayout.SORT_KEY, AttributeValue.fromS(sortKey(sequence))), null, ReturnValue.NONE);
	}

	/**
	 * Give the lease up, if the token still holds it, so that another node takes over at once; the lease keeps
	 * its number, from which the next holder goes on.
	 */
	void releaseLease(String token) {
		try {
			this.table.updateItem(Target.TABLE, leaseKey(),
					new Expression("REMOVE #tok", Map.of("#tok", TOKEN), Map.of()),
					Expressions.holding(TOKEN, AttributeValue.fromS(token)), ReturnValue.NONE);
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
	 * @param damaged whether the item in this slot is not an entry a reader wrote (its keys unknown): it drops
	 * every copy too, and its checkpoint is not used
	 */
	record Entry(long sequence, List<ChangedKey> keys, Map<String, String> checkpoint, boolean reset,
			boolean damaged) {

		Entry(long sequence, List<ChangedKey> keys, Map<String, String> checkpoint, boolean reset) {
			this(sequence, keys, checkpoint, reset, false);
		}

		/** The entry an item is; a damaged one if only its number can be read; {@code null} if not even that. */
		static @Nullable Entry of(Map<String, AttributeValue> item) {
			long sequence;
			try {
				sequence = Long.parseLong(item.get(ItemLayout.SORT_KEY).s());
			}
			catch (RuntimeException ex) {
				return null;
			}
			if (sequence < 1) {
				return null;
			}
			try {
				List<AttributeValue> names = item.get(CACHE_NAMES).l();
				List<AttributeValue> sortKeys = item.get(SORT_KEYS).l();
				if (names.size() != sortKeys.size() || names.size() > MAX_KEYS) {
					return damaged(sequence);
				}
				List<ChangedKey> keys = new ArrayList<>(names.size());
				for (int i = 0; i < names.size(); i++) {
					keys.add(new ChangedKey(java.util.Objects.requireNonNull(names.get(i).s()),
							java.util.Objects.requireNonNull(sortKeys.get(i).s())));
				}
				Map<String, String> checkpoint = new HashMap<>();
				item.get(CHECKPOINT).m().forEach((shard, position) -> checkpoint.put(shard,
						java.util.Objects.requireNonNull(position.s())));
				AttributeValue reset = item.get(RESET);
				return new Entry(sequence, keys, checkpoint, reset != null && Boolean.TRUE.equals(reset.bool()));
			}
			catch (RuntimeException ex) {
				// Not an entry a reader wrote, or a damaged one: its keys are unknown.
				return damaged(sequence);
			}
		}

		private static Entry damaged(long sequence) {
			return new Entry(sequence, List.of(), Map.of(), true, true);
		}

	}

	/**
	 * A page of the feed.
	 * @param entries the entries, in order
	 * @param leaseToken the reader's lease token, {@code null} if there is no lease or the page did not reach it
	 * @param leaseSequence the number the lease carries, {@code null} without one or if the page did not reach it
	 * @param complete whether the page reached the end of the feed (and so the lease)
	 */
	record Page(List<Entry> entries, @Nullable String leaseToken, @Nullable Long leaseSequence, boolean complete) {
	}

}
