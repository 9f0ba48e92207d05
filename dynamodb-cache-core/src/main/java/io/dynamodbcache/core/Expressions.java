package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static io.dynamodbcache.core.ItemLayout.COUNTER;
import static io.dynamodbcache.core.ItemLayout.CREATED_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT;
import static io.dynamodbcache.core.ItemLayout.EXPIRES_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.FIRST_CREATED_AT_MILLIS;
import static io.dynamodbcache.core.ItemLayout.FORMAT;
import static io.dynamodbcache.core.ItemLayout.KEY;
import static io.dynamodbcache.core.ItemLayout.PARTITION_KEY;
import static io.dynamodbcache.core.ItemLayout.SORT_KEY;
import static io.dynamodbcache.core.ItemLayout.VALUE;

/**
 * Every condition, update, filter and projection expression the store sends, by what it means. A key whose
 * sort key is a digest ({@link ItemLayout#needsDigest}) shares its sort key with any other key of the same
 * digest, so conditions on such keys also check the original key kept in {@value ItemLayout#KEY}.
 */
final class Expressions {

	private Expressions() {
	}

	/** The item under this sort key belongs to the given key, or there is none. */
	static Expression ownedBy(String key) {
		if (ItemLayout.needsDigest(key)) {
			return new Expression("attribute_not_exists(#key) OR #key = :key", Map.of("#key", KEY),
					Map.of(":key", AttributeValue.fromS(key)));
		}
		return new Expression("attribute_not_exists(#key)", Map.of("#key", KEY), Map.of());
	}

	/**
	 * No live entry of the given key is there: no item, an expired one, or one of another key (which the
	 * write then replaces).
	 */
	static Expression noLiveEntry(String key, long now) {
		Map<String, String> names = Map.of("#sk", SORT_KEY, "#exp", EXPIRES_AT_MILLIS, "#key", KEY);
		if (ItemLayout.needsDigest(key)) {
			return new Expression("attribute_not_exists(#sk) OR #exp <= :now OR NOT #key = :key", names,
					Map.of(":now", number(now), ":key", AttributeValue.fromS(key)));
		}
		return new Expression("attribute_not_exists(#sk) OR #exp <= :now OR attribute_exists(#key)", names,
				Map.of(":now", number(now)));
	}

	/** The text and names of {@link #replaceKeepingFirstCreation} by which written attributes are present. */
	private static final Map<Integer, Expression> REPLACE_SHAPES = new ConcurrentHashMap<>();

	private static final List<String> WRITTEN_VALUE_NAMES = IntStream.range(0, ItemLayout.WRITTEN_ATTRIBUTES.size())
		.mapToObj((index) -> ":a" + index)
		.toList();

	/**
	 * Replace every attribute of an item with those of {@code item}, removing the ones it lacks, but keep the
	 * time the key was first written (or take it from the write time of an item that has none). The text and
	 * names depend only on which attributes the item has, so each such set is built once.
	 */
	static Expression replaceKeepingFirstCreation(Map<String, AttributeValue> item, long now) {
		Map<String, AttributeValue> values = new HashMap<>();
		int present = 0;
		for (int index = 0; index < ItemLayout.WRITTEN_ATTRIBUTES.size(); index++) {
			AttributeValue value = item.get(ItemLayout.WRITTEN_ATTRIBUTES.get(index));
			if (value != null) {
				present |= 1 << index;
				values.put(WRITTEN_VALUE_NAMES.get(index), value);
			}
		}
		values.put(":now", number(now));
		Expression shape = REPLACE_SHAPES.computeIfAbsent(present, Expressions::replaceShape);
		return new Expression(shape.text(), shape.names(), values);
	}

	private static Expression replaceShape(int present) {
		Map<String, String> names = new HashMap<>();
		List<String> sets = new ArrayList<>();
		List<String> removes = new ArrayList<>();
		for (int index = 0; index < ItemLayout.WRITTEN_ATTRIBUTES.size(); index++) {
			String name = "#a" + index;
			names.put(name, ItemLayout.WRITTEN_ATTRIBUTES.get(index));
			if ((present & (1 << index)) != 0) {
				sets.add(name + " = " + WRITTEN_VALUE_NAMES.get(index));
			}
			else {
				removes.add(name);
			}
		}
		names.put("#first", FIRST_CREATED_AT_MILLIS);
		names.put("#created", CREATED_AT_MILLIS);
		sets.add("#first = if_not_exists(#first, if_not_exists(#created, :now))");
		String text = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
		return new Expression(text, names, Map.of());
	}

	/** The item is absent, or holds a live entry of this key (by the clock of the node that asks). */
	static Expression absentOrLive(String key, long now) {
		Expression noLiveEntry = noLiveEntry(key, now);
		return new Expression("attribute_not_exists(#sk) OR NOT (" + noLiveEntry.text() + ")", noLiveEntry.names(),
				noLiveEntry.values());
	}

	/** Still the item that was read: written at the same time (or, for an item without one, still without). */
	static Expression unchangedSince(Map<String, AttributeValue> item) {
		AttributeValue createdAt = item.get(CREATED_AT_MILLIS);
		if (createdAt == null) {
			return new Expression("attribute_exists(#sk) AND attribute_not_exists(#created)",
					Map.of("#sk", SORT_KEY, "#created", CREATED_AT_MILLIS), Map.of());
		}
		AttributeValue version = item.get(ItemLayout.VERSION);
		if (version != null) {
			// Two writes in one millisecond have the same time: a chunked value's version tells them apart.
			return new Expression("#created = :created AND #ver = :ver",
					Map.of("#created", CREATED_AT_MILLIS, "#ver", ItemLayout.VERSION),
					Map.of(":created", createdAt, ":ver", version));
		}
		return new Expression("#created = :created", Map.of("#created", CREATED_AT_MILLIS),
				Map.of(":created", createdAt));
	}

	/** The item holds exactly these encoded value bytes in this format, whatever its expiry. */
	static Expression holds(int format, byte[] encodedValue) {
		return new Expression("#fmt = :fmt AND #val = :val", Map.of("#fmt", FORMAT, "#val", VALUE),
				Map.of(":fmt", number(format), ":val", AttributeValue.fromB(SdkBytes.fromByteArray(encodedValue))));
	}

	/** The condition of every plain write: built once, since every put carries it. */
	private static final Expression NOT_CHUNKED = new Expression("attribute_not_exists(#ver)",
			Map.of("#ver", ItemLayout.VERSION), Map.of());

	/**
	 * The item is not a chunked value's head, or is the head that was read: a write that replaces a chunked
	 * value learns which one, so as to delete its chunks.
	 * @param replaced the chunked head a write may replace, or {@code null} for none
	 */
	static Expression notChunkedOr(@Nullable Map<String, AttributeValue> replaced) {
		if (replaced == null || replaced.get(ItemLayout.VERSION) == null) {
			return NOT_CHUNKED;
		}
		return new Expression("attribute_not_exists(#ver) OR #ver = :ver", Map.of("#ver", ItemLayout.VERSION),
				Map.of(":ver", replaced.get(ItemLayout.VERSION)));
	}

	/** The item is a chunked value's head whose joined bytes, in this format, have this checksum. */
	static Expression holdsChunked(int partFormat, byte[] checksum) {
		return new Expression("#fmt = :fmt AND #partFmt = :partFmt AND #sum = :sum",
				Map.of("#fmt", FORMAT, "#partFmt", ItemLayout.PART_FORMAT, "#sum", ItemLayout.CHECKSUM),
				Map.of(":fmt", number(ItemLayout.FORMAT_CHUNKED), ":partFmt", number(partFormat), ":sum",
						AttributeValue.fromB(SdkBytes.fromByteArray(checksum))));
	}

	/** The item has not expired at {@code now} (by the clock of the node that asks). */
	static Expression unexpired(long now) {
		return new Expression("attribute_not_exists(#exp) OR #exp > :now", Map.of("#exp", EXPIRES_AT_MILLIS),
				Map.of(":now", number(now)));
	}

	/** There is no item of the given key at all, expired or not (clocks are not compared). */
	static Expression noItemOf(String key) {
		if (ItemLayout.needsDigest(key)) {
			return new Expression("attribute_not_exists(#sk) OR NOT #key = :key", Map.of("#sk", SORT_KEY, "#key", KEY),
					Map.of(":key", AttributeValue.fromS(key)));
		}
		return new Expression("attribute_not_exists(#sk) OR attribute_exists(#key)",
				Map.of("#sk", SORT_KEY, "#key", KEY), Map.of());
	}

	/**
	 * No lease of the given key is held: no item at all, or a lease that its holder released with its work
	 * ({@link ItemLayout#RELEASED}). Clocks are not compared.
	 */
	static Expression noLeaseOf(String key) {
		if (ItemLayout.needsDigest(key)) {
			return new Expression("attribute_not_exists(#sk) OR NOT #key = :key OR attribute_exists(#rel)",
					Map.of("#sk", SORT_KEY, "#key", KEY, "#rel", ItemLayout.RELEASED), Map.of(":key", AttributeValue.fromS(key)));
		}
		return new Expression("attribute_not_exists(#sk) OR attribute_exists(#key) OR attribute_exists(#rel)",
				Map.of("#sk", SORT_KEY, "#key", KEY, "#rel", ItemLayout.RELEASED), Map.of());
	}

	/**
	 * Still the version of the item that was read: the same value bytes (a lease's token), or for an item
	 * without a value the same write time.
	 */
	static Expression sameVersion(Map<String, AttributeValue> item) {
		AttributeValue value = item.get(VALUE);
		if (value == null) {
			return unchangedSince(item);
		}
		return new Expression("#val = :val", Map.of("#val", VALUE), Map.of(":val", value));
	}

	/** Live entries only, for queries. */
	static Expression liveFilter(long now) {
		return unexpired(now);
	}

	/** The items of one partition, for queries. */
	static Expression inPartition(String partitionKey) {
		return new Expression("#pk = :pk", Map.of("#pk", PARTITION_KEY),
				Map.of(":pk", AttributeValue.fromS(partitionKey)));
	}

	/** The items of one partition whose sort key meets a condition (key conditions take no parentheses). */
	static Expression inPartitionWhere(String partitionKey, Expression sortKeyCondition) {
		Expression partition = inPartition(partitionKey);
		Map<String, String> names = new HashMap<>(partition.names());
		names.putAll(sortKeyCondition.names());
		Map<String, AttributeValue> values = new HashMap<>(partition.values());
		values.putAll(sortKeyCondition.values());
		return new Expression(partition.text() + " AND " + sortKeyCondition.text(), names, values);
	}

	/** Sort keys after the given one, in the order DynamoDB compares them (bytes of UTF-8). */
	static Expression sortKeyAfter(String sortKey) {
		return new Expression("#sk > :after", Map.of("#sk", SORT_KEY), Map.of(":after", AttributeValue.fromS(sortKey)));
	}

	/** Sort keys before the given one. */
	static Expression sortKeyBefore(String sortKey) {
		return new Expression("#sk < :before", Map.of("#sk", SORT_KEY),
				Map.of(":before", AttributeValue.fromS(sortKey)));
	}

	/** The item holds the given attribute value, or there is no item at all. */
	static Expression absentOrHolding(String attribute, AttributeValue value) {
		return new Expression("attribute_not_exists(#sk) OR #held = :held", Map.of("#sk", SORT_KEY, "#held", attribute),
				Map.of(":held", value));
	}

	/** The item holds the given attribute value. */
	static Expression holding(String attribute, AttributeValue value) {
		return new Expression("#held = :held", Map.of("#held", attribute), Map.of(":held", value));
	}

	/** There is no item of this primary key. */
	static Expression absent() {
		return new Expression("attribute_not_exists(#sk)", Map.of("#sk", SORT_KEY), Map.of());
	}

	/** Enough of an item to tell whose it is and whether it is live. */
	static Expression liveKeyProjection() {
		return new Expression("#sk, #key, #exp", Map.of("#sk", SORT_KEY, "#key", KEY, "#exp", EXPIRES_AT_MILLIS),
				Map.of());
	}

	/** Enough of an item to delete it (and a chunked value's chunks) and to count it as live or not. */
	static Expression deleteProjection() {
		return new Expression("#pk, #sk, #key, #exp, #fmt, #ver, #parts, #size, #idle, #deadline",
				Map.ofEntries(Map.entry("#pk", PARTITION_KEY), Map.entry("#sk", SORT_KEY), Map.entry("#key", KEY),
						Map.entry("#exp", EXPIRES_AT_MILLIS), Map.entry("#fmt", FORMAT),
						Map.entry("#ver", ItemLayout.VERSION), Map.entry("#parts", ItemLayout.PARTS),
						Map.entry("#size", ItemLayout.STORED_SIZE), Map.entry("#idle", ItemLayout.IDLE_MILLIS),
						Map.entry("#deadline", ItemLayout.DEADLINE_MILLIS)),
				Map.of());
	}

	/** The logical key of an item only. */
	static Expression keyProjection() {
		return new Expression("#sk, #key", Map.of("#sk", SORT_KEY, "#key", KEY), Map.of());
	}

	/** Move the expiry of an idle-expiring entry. */
	static Expression slideExpiry(long expiresAt) {
		return new Expression("SET #expMs = :expMs, #exp = :exp",
				Map.of("#expMs", EXPIRES_AT_MILLIS, "#exp", EXPIRES_AT),
				Map.of(":expMs", number(expiresAt), ":exp", number(ExpiryRules.epochSecondsCeiling(expiresAt))));
	}

	/** The entry read at {@code now} is still there, unchanged and live. */
	static Expression stillLive(Map<String, AttributeValue> item, long now) {
		return unchangedSince(item).and(new Expression("#expMs > :now", Map.of("#expMs", EXPIRES_AT_MILLIS),
				Map.of(":now", number(now))));
	}

	/**
	 * Add to a counter; a new counter starts at zero, created now, expiring at {@code expiresAt} (a fixed
	 * window: later increments keep it). {@code expiresAt} 0 means no expiry.
	 */
	static Expression addToCounter(String key, long delta, long now, long expiresAt) {
		Map<String, String> names = new HashMap<>(
				Map.of("#counter", COUNTER, "#fmt", FORMAT, "#created", CREATED_AT_MILLIS));
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":delta", number(delta), ":fmt", number(ItemLayout.FORMAT_COUNTER), ":now", number(now)));
		StringBuilder update = new StringBuilder(
				"ADD #counter :delta SET #fmt = :fmt, #created = if_not_exists(#created, :now)");
		if (expiresAt > 0) {
			names.put("#expMs", EXPIRES_AT_MILLIS);
			names.put("#exp", EXPIRES_AT);
			values.put(":expMs", number(expiresAt));
			values.put(":exp", number(ExpiryRules.epochSecondsCeiling(expiresAt)));
			update.append(", #expMs = if_not_exists(#expMs, :expMs), #exp = if_not_exists(#exp, :exp)");
		}
		if (ItemLayout.needsDigest(key)) {
			names.put("#key", KEY);
			values.put(":key", AttributeValue.fromS(key));
			update.append(", #key = :key");
		}
		return new Expression(update.toString(), names, values);
	}

	/** A live counter of the given key, or nothing yet: any other item is in the way. */
	static Expression liveCounterOrAbsent(String key, long now) {
		Expression liveOrAbsent = new Expression(
				"attribute_not_exists(#sk) OR #expMs > :now OR attribute_not_exists(#expMs)",
				Map.of("#sk", SORT_KEY, "#expMs", EXPIRES_AT_MILLIS), Map.of(":now", number(now)));
		Expression counter = new Expression("attribute_not_exists(#fmt) OR #fmt = :fmt", Map.of("#fmt", FORMAT),
				Map.of(":fmt", number(ItemLayout.FORMAT_COUNTER)));
		return liveOrAbsent.and(ownedBy(key)).and(counter);
	}

	static AttributeValue number(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

}
