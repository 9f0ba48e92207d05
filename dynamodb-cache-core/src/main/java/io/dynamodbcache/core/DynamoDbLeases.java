package io.dynamodbcache.core;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.ItemMapper.PreparedItem;
import io.dynamodbcache.core.RequestPath.Target;

/**
 * Leases on the keys of one cache: locks that end by themselves, exclusive across nodes whatever their
 * clocks say. Get one from {@link DynamoDbCacheStore#leases(String)} and keep it: it remembers what it saw.
 * <p>
 * The rule is the record version number of Amazon's DynamoDB Lock Client. Every acquisition writes a new
 * token, and only where the key has no item at all: no clock decides that a lease has expired. A node that
 * finds another node's lease remembers its token and when it first saw it, by its own clock; once it has
 * seen the same token for a whole lease period, the holder counts as gone, and the node takes the lease
 * over with a write that expects that token. A lease is released only by a delete that expects the
 * holder's token, so a node whose lease was taken over cannot release the next holder's. The lease item
 * also carries the table's TTL attribute, so that DynamoDB removes abandoned leases in the end.
 * <p>
 * A holder that stores its work and releases the lease in one request
 * ({@link DynamoDbCacheStore#putAndRelease}) leaves the lease item marked as released for one more lease time
 * instead of deleting it. The marked item is free to take like no item at all, and the node that takes it
 * learns ({@link #followsARelease}) that another node has just finished the work, which it may find done:
 * a node that read "not done" just before the holder stored its work and asked for the lease just after the
 * release would otherwise do the work a second time.
 * <p>
 * A node that holds a lease longer than the lease time can lose it: keep the work under a lease shorter
 * than the lease time.
 */
public final class DynamoDbLeases {

	private static final int MAX_OBSERVATIONS = 10_000;

	private final String cacheName;

	private final TableClient table;

	private final ItemLayout layout;

	private final ItemMapper mapper;

	private final Clock clock;

	private final Map<String, Observation> observed = new ConcurrentHashMap<>();

	/** The leases this node took and has not released, by token. */
	private final Map<String, Held> held = new ConcurrentHashMap<>();

	DynamoDbLeases(String cacheName, TableClient table, ItemLayout layout, ItemMapper mapper, Clock clock) {
		this.cacheName = cacheName;
		this.table = table;
		this.layout = layout;
		this.mapper = mapper;
		this.clock = clock;
	}

	/**
	 * Take the lease of a key if no one holds it, or if its holder's token has not changed for a whole lease
	 * period as this node has watched it.
	 * @param key the key
	 * @param leaseTime how long the lease lasts
	 * @return the token of the lease now held, for {@link #release}; {@code null} if another node holds it
	 * @throws DynamoDbCacheException if DynamoDB fails
	 */
	public @Nullable String tryAcquire(String key, Duration leaseTime) {
		Objects.requireNonNull(key, "Key must not be null");
		long leaseMillis = ExpiryRules.millis(Objects.requireNonNull(leaseTime, "Lease time must not be null"),
				"Lease time");
		if (leaseMillis == 0) {
			throw new IllegalArgumentException("Lease time must be positive");
		}
		String token = UUID.randomUUID().toString();
		PreparedItem lease = this.mapper.prepare(this.cacheName, key, token, leaseMillis, 0);
		Target target = Target.key(this.cacheName, key);
		long now = this.clock.millis();
		try {
			Map<String, AttributeValue> replaced = this.table.putItemReturningOld(target, lease.item(now),
					Expressions.noLeaseOf(key));
			this.observed.remove(key);
			return held(token, now, leaseMillis, isRecentRelease(replaced, now));
		}
		catch (ConditionalCheckFailedException held) {
			Map<String, AttributeValue> holder = held.hasItem() ? held.item() : null;
			if (holder == null || holder.isEmpty()) {
				return null;
			}
			if (!watchedForAWholeLeasePeriod(key, holder, now, leaseMillis)) {
				return null;
			}
			long takeOverAt = this.clock.millis();
			try {
				this.table.putItem(target, () -> lease.item(takeOverAt),
						Expressions.ownedBy(key).and(Expressions.sameVersion(holder)));
				this.observed.remove(key);
				return held(token, takeOverAt, leaseMillis, false);
			}
			catch (ConditionalCheckFailedException changed) {
				return null;
			}
		}
	}

	/**
	 * Whether the lease that this node holds with the given token was free because another holder had
	 * released it, less than a lease time before by that holder's clock, in the request that stored its work
	 * ({@link DynamoDbCacheStore#putAndRelease}): look for that work before doing it again.
	 * @param token the token {@link #tryAcquire} returned
	 * @return {@code true} if the lease followed such a release; {@code false} for a free key, a lease taken
	 * over, or a token this node does not hold
	 */
	public boolean followsARelease(String token) {
		Held lease = this.held.get(Objects.requireNonNull(token, "Token must not be null"));
		return lease != null && lease.afterRelease();
	}

	/**
	 * Release a lease, if the given token still holds it.
	 * @param key the key
	 * @param token the token {@link #tryAcquire} returned
	 * @return whether the lease was held with that token and is now released
	 * @throws DynamoDbCacheException if DynamoDB fails
	 */
	public boolean release(String key, String token) {
		Objects.requireNonNull(key, "Key must not be null");
		Objects.requireNonNull(token, "Token must not be null");
		this.held.remove(token);
		PreparedItem lease = this.mapper.prepare(this.cacheName, key, token, 0, 0);
		byte[] bytes = Objects.requireNonNull(lease.bytes());
		try {
			this.table.deleteItem(Target.key(this.cacheName, key), this.layout.primaryKey(this.cacheName, key),
					Expressions.ownedBy(key).and(Expressions.holds(lease.format(), bytes)), ReturnValue.NONE);
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/**
	 * An unconditional write that releases a lease this node holds, marking its item as released for a lease
	 * time, to send with the write of the work in one BatchWriteItem, if the token surely still holds the
	 * lease until a request sent now has ended: no other node can take a lease over before it has watched it
	 * for a whole lease time, and this node took it less than a lease time minus {@code requestTime} ago on
	 * its own clock. Otherwise {@code null}: release it with {@link #release}, whose delete expects the token.
	 * The lease counts as released either way.
	 */
	@Nullable WriteRequest releaseRequest(String key, String token, Duration requestTime) {
		Held lease = this.held.remove(token);
		long now = this.clock.millis();
		if (lease == null || now - lease.sentAt() + requestTime.toMillis() >= lease.leaseMillis()) {
			return null;
		}
		Map<String, AttributeValue> released = new HashMap<>(
				this.mapper.prepare(this.cacheName, key, token, lease.leaseMillis(), 0).item(now));
		released.put(ItemLayout.RELEASED, AttributeValue.fromBool(true));
		return WriteRequest.builder().putRequest(PutRequest.builder().item(released).build()).build();
	}

	/** Whether a lease item that a new lease replaced is a release marked less than a lease time ago. */
	private static boolean isRecentRelease(@Nullable Map<String, AttributeValue> replaced, long now) {
		return replaced != null && replaced.containsKey(ItemLayout.RELEASED) && ItemMapper.isUnexpired(replaced, now);
	}

	private String held(String token, long sentAt, long leaseMillis, boolean afterRelease) {
		if (this.held.size() > MAX_OBSERVATIONS) {
			// Tokens that were never released; forgetting one only makes its release conditional.
			this.held.clear();
		}
		this.held.put(token, new Held(sentAt, leaseMillis, afterRelease));
		return token;
	}

	/** Remember the holder's version; tell whether it has stayed the same for a lease period on this clock. */
	private boolean watchedForAWholeLeasePeriod(String key, Map<String, AttributeValue> holder, long now,
			long leaseMillis) {
		if (this.observed.size() > MAX_OBSERVATIONS) {
			// Forgetting only delays a takeover by a lease period; it never makes one early.
			this.observed.clear();
		}
		Version version = Version.of(holder);
		Observation seen = this.observed.compute(key,
				(ignored, previous) -> (previous != null && previous.version().equals(version)) ? previous
						: new Observation(version, now));
		return now - seen.since() >= leaseMillis;
	}

	@Override
	public String toString() {
		return "DynamoDbLeases[cache=" + this.cacheName + ", table=" + this.table.tableName() + "]";
	}

	private record Observation(Version version, long since) {
	}

	/**
	 * A lease this node took: when the write that took it was sent, on this node's clock, for how long, and
	 * whether it replaced a recent release ({@link #followsARelease}).
	 */
	private record Held(long sentAt, long leaseMillis, boolean afterRelease) {
	}

	/** What identifies one acquisition of a lease: its value bytes, else its write time. */
	private record Version(@Nullable SdkBytes value, @Nullable AttributeValue createdAt) {

		static Version of(Map<String, AttributeValue> item) {
			AttributeValue value = item.get(ItemLayout.VALUE);
			return new Version((value != null) ? value.b() : null, item.get(ItemLayout.CREATED_AT_MILLIS));
		}

	}

}
