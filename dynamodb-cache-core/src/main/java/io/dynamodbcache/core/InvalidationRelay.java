package io.dynamodbcache.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import io.dynamodbcache.core.InvalidationFeed.Entry;
import io.dynamodbcache.core.InvalidationFeed.Page;
import io.dynamodbcache.core.StreamReader.ChangedKey;

/**
 * Tells this JVM's near caches of every key that any JVM wrote or deleted, on one daemon thread, whatever
 * the size of the fleet, inside DynamoDB's limit of two readers per stream shard:
 * <ul>
 * <li>Every node reads the table's {@linkplain InvalidationFeed invalidation feed} once per poll interval,
 * one eventually consistent Query, and drops the copies of the keys of each new entry, in order. A gap in
 * the numbers, read again strongly consistently, means entries were lost (the node fell an hour behind):
 * it drops every copy.</li>
 * <li>One node, the holder of the reader's lease, reads the stream four times per poll interval and writes
 * the keys it changed into the feed, each entry with a condition that its number is free, so that two
 * readers never both write one. The holder renews its lease while it can read the stream, and gives it up
 * when it cannot or when its store is closed. Other nodes see the lease in the same Query; a lease unchanged
 * for a whole lease time counts as abandoned, and one of them takes it over, going on from the checkpoint in
 * the last entry, so that no change is lost. A reader that starts with no checkpoint, or that lost its place
 * in the stream, writes a reset entry: every node drops every copy.</li>
 * </ul>
 * The lease carries the number of the last entry its holder wrote (its heartbeat): a node follows a gap in
 * the numbers only up to it, so that an item someone else wrote far ahead is never jumped to, and a node that
 * has not applied the entries up to it within a lease time drops every copy and goes on from there. The
 * holder skips a slot that an item it did not write occupies, once it has made sure it still holds the lease.
 * <p>
 * While a node cannot read the feed, no live reader writes it, or this node lags behind the reader's
 * heartbeat, it says so ({@link #isReading()}), and its copies live out their time-to-live, the documented
 * staleness bound. The relay ends when the store is
 * closed, or when no near cache is in use any more.
 */
final class InvalidationRelay {

	private static final Logger logger = LoggerFactory.getLogger(InvalidationRelay.class);

	private static final Duration MIN_LEASE_TIME = Duration.ofSeconds(5);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	/** How far beyond its next entry the reader takes an item to be someone else's, and deletes it. */
	private static final long FAR_AHEAD = 1_000;

	/** Slots in a row that the reader skips, as taken by items it did not write, before it gives up the lease. */
	private static final int MAX_SKIPPED_SLOTS = 1_000;

	private final RateLimitedLog failureLog = new RateLimitedLog(logger);

	private final DynamoDbStreamsClient streams;

	private final TableClient table;

	private final InvalidationFeed feed;

	private final Duration pollInterval;

	private final Duration readerInterval;

	private final long leaseNanos;

	private final NearCacheListener listener;

	private final NearCaching nearCaching;

	/** When this JVM's recent writes ended, by cache and sort key, until the feed reports them. */
	private final Cache<ChangedKey, Long> pendingWrites = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		.build();

	private @Nullable Thread thread;

	private volatile boolean closed;

	private volatile boolean reading;

	// The follower's state, touched by the relay's thread only.

	/** The number of the last entry applied; -1 before the node stands at the end of the feed. */
	private long applied = -1;

	private boolean feedReadable;

	private @Nullable String observedToken;

	private boolean leaseSeen;

	private long observedSince;

	/** The number the lease carried when this node last read it: the reader's heartbeat. */
	private @Nullable Long leaseSequence;

	/** Since when this node has lagged behind the reader's heartbeat; 0 while it has not. */
	private long behindSince;

	private long nextFeedPoll;

	private Duration feedBackoff;

	/** The lease's token while this node holds it; written by the relay's thread only, read by others too. */
	private volatile @Nullable String token;

	// The reader's state, touched by the relay's thread only.

	private long renewedAt;

	private @Nullable StreamReader reader;

	private long nextSequence;

	private Map<String, String> published = Map.of();

	private long lastStreamRead;

	private Duration streamBackoff;

	private long nextStreamPoll;

	private boolean warnedNoStream;

	/** After failing to read the stream, this node leaves the lease to others until then. */
	private long noTakeOverBefore;

	/** The table has no stream: no node can read it until the store is built again. */
	private boolean noStream;

	InvalidationRelay(DynamoDbStreamsClient streams, TableClient table, Clock clock, Duration pollInterval,
			NearCacheListener listener, NearCaching nearCaching) {
		this.streams = streams;
		this.table = table;
		this.feed = new InvalidationFeed(table, clock);
		this.pollInterval = pollInterval;
		this.readerInterval = max(pollInterval.dividedBy(4), Duration.ofMillis(50));
		this.leaseNanos = max(MIN_LEASE_TIME, pollInterval.multipliedBy(5)).toNanos();
		this.listener = listener;
		this.nearCaching = nearCaching;
		this.feedBackoff = pollInterval;
		this.streamBackoff = this.readerInterval;
		this.nextFeedPoll = System.nanoTime();
		this.nextStreamPoll = this.nextFeedPoll;
		this.noTakeOverBefore = this.nextFeedPoll;
	}

	/** Note that this JVM wrote a key, to measure how long the change takes to reach the feed. */
	void wrote(String cacheName, String sortKey) {
		if (this.reading) {
			this.pendingWrites.put(new ChangedKey(cacheName, sortKey), System.nanoTime());
		}
	}

	/** Whether this node reads the feed and a live reader writes it: other JVMs' changes reach this one. */
	boolean isReading() {
		return this.reading;
	}

	/** Whether this node holds the reader's lease: it is the one that reads the stream. */
	boolean isLeading() {
		return this.token != null;
	}

	synchronized void close() {
		this.closed = true;
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	/** Start the relay, unless it runs or was closed. */
	synchronized void start() {
		if (this.thread == null && !this.closed) {
			Thread relay = new Thread(this::run, "dynamodb-cache-invalidation-" + this.table.tableName());
			relay.setDaemon(true);
			relay.start();
			this.thread = relay;
		}
	}

	private void run() {
		try {
			while (!this.closed && !this.nearCaching.retireIfUnused(this)) {
				long now = System.nanoTime();
				boolean moreWaiting = false;
				if (now - this.nextFeedPoll >= 0) {
					moreWaiting = followFeed();
				}
				if (this.token != null) {
					if (now - this.nextStreamPoll >= 0) {
						moreWaiting |= readStream();
					}
				}
				else if (this.feedReadable && !this.noStream && now - this.noTakeOverBefore >= 0 && leaseAbandoned(now)) {
					takeOver();
				}
				this.reading = this.feedReadable && caughtUp(System.nanoTime())
						&& (this.token != null ? streamFresh(System.nanoTime()) : leaseLive());
				if (!moreWaiting) {
					Thread.sleep(pauseMillis());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.reading = false;
			// Give the lease up for the next reader, even when interrupted by close().
			Thread.interrupted();
			resign(true);
		}
	}

	private long pauseMillis() {
		long now = System.nanoTime();
		long next = this.nextFeedPoll;
		if (this.token != null && this.nextStreamPoll - next < 0) {
			next = this.nextStreamPoll;
		}
		if (this.token == null && this.observedToken != null) {
			// Wake when the watched lease has been unchanged for a lease time, not at the next poll: the take-over
			// expects the token this node last saw, so a renewal it has not seen yet only makes it fail.
			long abandonedAt = this.observedSince + this.leaseNanos;
			if (abandonedAt - now > 0 && abandonedAt - next < 0) {
				next = abandonedAt;
			}
		}
		return Math.max(1, Math.min(MAX_BACKOFF.toMillis(), (next - now) / 1_000_000));
	}

	// Following the feed

	/** Apply the feed's new entries; tells whether more are waiting. */
	private boolean followFeed() {
		try {
			if (this.applied < 0) {
				// The end of the feed as the reader vouches for it: an item someone wrote far ahead is not the end.
				Long vouched = this.feed.leaseSequence();
				Entry last = this.feed.lastAtOrBefore((vouched != null) ? vouched : InvalidationFeed.SEQUENCE_CEILING);
				this.applied = (last != null) ? last.sequence() : 0;
				// Copies taken before this node stood at the end of the feed may have missed a change.
				this.nearCaching.invalidateAll();
			}
			Page page = this.feed.after(this.applied, false);
			if (!page.entries().isEmpty() && page.entries().get(0).sequence() != this.applied + 1) {
				// An eventually consistent read may not have the newest entries yet; the strongly consistent one does.
				page = this.feed.after(this.applied, true);
			}
			if (page.complete()) {
				this.leaseSequence = page.leaseSequence();
			}
			Long vouched = this.leaseSequence;
			for (Entry entry : page.entries()) {
				if (entry.sequence() != this.applied + 1) {
					if (vouched == null || entry.sequence() > vouched) {
						// A gap the reader has not vouched for: an item written far ahead by someone else, or the
						// reader's next entries not visible yet. Wait at the gap; the items after it come later.
						discardIfFarAhead(page, entry);
						break;
					}
					this.failureLog.warn("Invalidations of DynamoDB table '{}' were lost (entries {} to {} of the feed "
							+ "are gone): dropping every near-cache copy", this.table.tableName(), this.applied + 1,
							entry.sequence() - 1);
					this.nearCaching.invalidateAll();
				}
				apply(entry);
				this.applied = entry.sequence();
			}
			if (page.complete()) {
				long now = System.nanoTime();
				observeLease(page.leaseToken(), now);
				followHeartbeat(vouched, now);
			}
			this.feedReadable = true;
			this.feedBackoff = this.pollInterval;
			this.nextFeedPoll = System.nanoTime() + this.pollInterval.toNanos();
			return !page.complete();
		}
		catch (RuntimeException ex) {
			this.feedReadable = false;
			this.feedBackoff = longer(this.feedBackoff);
			this.nextFeedPoll = System.nanoTime() + this.feedBackoff.toNanos();
			this.failureLog.warn("Could not read the invalidation feed of DynamoDB table '{}'; near caches may serve "
					+ "replaced values for up to their time to live. Retrying in {} ms: {}", this.table.tableName(),
					this.feedBackoff.toMillis(), ex.toString());
			return false;
		}
	}

	/**
	 * As the reader, delete the items of a page numbered far beyond the next entry this node writes: no reader
	 * wrote them, and every node would otherwise read them at every poll until they expire.
	 */
	private void discardIfFarAhead(Page page, Entry first) {
		if (this.token == null) {
			return;
		}
		for (Entry entry : page.entries()) {
			if (entry.sequence() >= first.sequence() && entry.sequence() - this.nextSequence > FAR_AHEAD) {
				try {
					this.feed.discard(entry.sequence());
				}
				catch (RuntimeException ex) {
					// Tried again at the next poll.
				}
			}
		}
	}

	/**
	 * The reader wrote every entry up to its heartbeat before it renewed the lease: a node that has not applied
	 * them within a lease time (they were deleted, or never visible) drops every copy and goes on from there.
	 */
	private void followHeartbeat(@Nullable Long vouched, long now) {
		if (vouched == null || this.applied >= vouched) {
			this.behindSince = 0;
			return;
		}
		if (this.behindSince == 0) {
			this.behindSince = now;
		}
		else if (now - this.behindSince >= this.leaseNanos) {
			this.failureLog.warn("Invalidations of DynamoDB table '{}' were lost (entries {} to {} of the feed "
					+ "cannot be read): dropping every near-cache copy", this.table.tableName(), this.applied + 1,
					vouched);
			this.nearCaching.invalidateAll();
			this.applied = vouched;
			this.behindSince = 0;
		}
	}

	/** Whether this node has applied the reader's entries up to its heartbeat, or lagged less than a lease time. */
	private boolean caughtUp(long now) {
		return this.behindSince == 0 || now - this.behindSince < this.leaseNanos;
	}

	private void apply(Entry entry) {
		if (entry.reset()) {
			this.nearCaching.invalidateAll();
			return;
		}
		for (ChangedKey key : entry.keys()) {
			this.nearCaching.invalidate(key.cacheName(), key.sortKey(), true);
			Long wroteAt = this.pendingWrites.asMap().remove(key);
			if (wroteAt != null) {
				this.listener.invalidationLag(Duration.ofNanos(System.nanoTime() - wroteAt));
			}
		}
	}

	private void observeLease(@Nullable String leaseToken, long now) {
		if (!this.leaseSeen || !Objects.equals(leaseToken, this.observedToken)) {
			this.observedToken = leaseToken;
			this.observedSince = now;
			this.leaseSeen = true;
		}
	}

	/** A reader renewed its lease within a lease time, as this node has watched it. */
	private boolean leaseLive() {
		return this.observedToken != null && System.nanoTime() - this.observedSince < this.leaseNanos;
	}

	/** No lease, or one unchanged for a whole lease time as this node watched it: its holder is gone. */
	private boolean leaseAbandoned(long now) {
		return this.leaseSeen && (this.observedToken == null || now - this.observedSince >= this.leaseNanos);
	}

	// Reading the stream, as the lease's holder

	private void takeOver() {
		String newToken = UUID.randomUUID().toString();
		Long previous = this.leaseSequence;
		try {
			if (!this.feed.takeLease(this.observedToken, newToken, (previous != null) ? previous : 0)) {
				// Another node was faster, or the holder renewed after all.
				this.leaseSeen = false;
				return;
			}
			this.token = newToken;
			this.renewedAt = System.nanoTime();
			// The newest entry the last reader vouched for; entries it wrote after are skipped as taken slots.
			Entry last = this.feed.lastAtOrBefore((previous != null) ? previous : InvalidationFeed.SEQUENCE_CEILING);
			StreamReader opened = StreamReader.open(this.streams, this.table, (last != null) ? last.checkpoint() : null);
			if (opened == null) {
				warnNoStream();
				resign(true);
				return;
			}
			this.reader = opened;
			this.nextSequence = (last != null) ? last.sequence() + 1 : 1;
			this.published = (last != null) ? last.checkpoint() : Map.of();
			this.lastStreamRead = System.nanoTime();
			this.nextStreamPoll = System.nanoTime();
			this.streamBackoff = this.readerInterval;
			if (last == null) {
				// Started at the stream's tip: changes before it reached no one.
				publish(List.of(), Map.of(), true);
			}
			logger.debug("This node now reads the stream of DynamoDB table '{}' for the fleet", this.table.tableName());
		}
		catch (RuntimeException ex) {
			this.failureLog.warn("Could not take over reading the stream of DynamoDB table '{}': {}",
					this.table.tableName(), ex.toString());
			giveUp();
		}
	}

	/** Read the stream once and write what changed into the feed; tells whether more records are waiting. */
	private boolean readStream() {
		long now = System.nanoTime();
		if (now - this.renewedAt >= this.leaseNanos / 3 && !renew(now)) {
			return false;
		}
		StreamReader current = this.reader;
		if (current == null) {
			return false;
		}
		try {
			boolean more = current.poll(this::publishPage);
			this.lastStreamRead = System.nanoTime();
			this.streamBackoff = this.readerInterval;
			this.nextStreamPoll = this.lastStreamRead + this.readerInterval.toNanos();
			return more;
		}
		catch (ConditionalCheckFailedException ex) {
			// Another node writes the feed now (it took the lease over while this one was paused).
			resign(false);
			return false;
		}
		catch (RuntimeException ex) {
			// Backing off no longer than a quarter of the lease time, so that the renewal check comes in time.
			Duration longer = longer(this.streamBackoff);
			this.streamBackoff = (longer.toNanos() < this.leaseNanos / 4) ? longer : Duration.ofNanos(this.leaseNanos / 4);
			this.nextStreamPoll = System.nanoTime() + this.streamBackoff.toNanos();
			if (CircuitBreakers.isThrottling(ex) || ex instanceof LimitExceededException) {
				this.failureLog.warn("Reading the stream of DynamoDB table '{}' is throttled; near caches may serve "
						+ "replaced values for up to their time to live. Retrying in {} ms", this.table.tableName(),
						this.streamBackoff.toMillis());
			}
			else {
				this.failureLog.warn("Could not read the stream of DynamoDB table '{}'; near caches may serve replaced "
						+ "values for up to their time to live. Retrying in {} ms: {}", this.table.tableName(),
						this.streamBackoff.toMillis(), ex.toString());
			}
			if (StreamReader.losesPosition(ex)) {
				restartAtTip();
			}
			return false;
		}
	}

	/** Renew the lease while the stream can be read; otherwise give it up, so that another node may try. */
	private boolean renew(long now) {
		String current = this.token;
		if (current == null) {
			return false;
		}
		if (!streamFresh(now)) {
			giveUp();
			return false;
		}
		String newToken = UUID.randomUUID().toString();
		try {
			if (this.feed.takeLease(current, newToken, this.nextSequence - 1)) {
				this.token = newToken;
				this.renewedAt = now;
				return true;
			}
			resign(false);
			return false;
		}
		catch (RuntimeException ex) {
			// Tried again at the next read; the lease lasts a whole lease time.
			return now - this.renewedAt < this.leaseNanos * 2 / 3;
		}
	}

	private boolean streamFresh(long now) {
		return now - this.lastStreamRead < this.leaseNanos / 2;
	}

	private void restartAtTip() {
		try {
			StreamReader opened = StreamReader.open(this.streams, this.table, null);
			if (opened == null) {
				warnNoStream();
				resign(true);
				return;
			}
			this.reader = opened;
			publish(List.of(), Map.of(), true);
		}
		catch (RuntimeException ex) {
			giveUp();
		}
	}

	/** Write one page's keys: all but the last entry keep the previous checkpoint, so that none is skipped. */
	private void publishPage(List<ChangedKey> changed, Map<String, String> checkpoint) {
		List<List<ChangedKey>> groups = InvalidationFeed.split(changed);
		for (int i = 0; i < groups.size(); i++) {
			publish(groups.get(i), (i == groups.size() - 1) ? checkpoint : this.published, false);
		}
	}

	/**
	 * Write an entry in the next free slot. A taken slot is skipped once this node has made sure it still holds
	 * the lease (the item there was written by someone else, or by the last reader after its last heartbeat);
	 * otherwise the condition failure goes up: another node reads the stream now.
	 */
	private void publish(List<ChangedKey> keys, Map<String, String> checkpoint, boolean reset) {
		boolean holding = false;
		for (int skipped = 0;; skipped++) {
			try {
				this.feed.publish(new Entry(this.nextSequence, keys, checkpoint, reset));
				this.nextSequence++;
				this.published = checkpoint;
				return;
			}
			catch (ConditionalCheckFailedException ex) {
				if (skipped >= MAX_SKIPPED_SLOTS || this.nextSequence >= InvalidationFeed.SEQUENCE_CEILING - 1) {
					throw ex;
				}
				if (!holding) {
					holding = stillHolding();
					if (!holding) {
						throw ex;
					}
				}
				this.nextSequence++;
			}
		}
	}

	/** Renew the lease now, to learn whether this node still holds it. */
	private boolean stillHolding() {
		String current = this.token;
		if (current == null) {
			return false;
		}
		String newToken = UUID.randomUUID().toString();
		if (this.feed.takeLease(current, newToken, this.nextSequence - 1)) {
			this.token = newToken;
			this.renewedAt = System.nanoTime();
			return true;
		}
		return false;
	}

	/** Give the lease up because this node cannot read the stream: another node may. */
	private void giveUp() {
		this.noTakeOverBefore = System.nanoTime() + 2 * this.leaseNanos;
		resign(true);
	}

	private void resign(boolean release) {
		String current = this.token;
		this.token = null;
		this.reader = null;
		this.leaseSeen = false;
		if (release && current != null) {
			try {
				this.feed.releaseLease(current);
			}
			catch (RuntimeException ex) {
				// It ends by itself after a lease time.
			}
		}
	}

	private void warnNoStream() {
		this.noStream = true;
		if (!this.warnedNoStream) {
			this.warnedNoStream = true;
			logger.warn("DynamoDB table '{}' has no stream and table creation is disabled, so near caches are not "
					+ "told of other JVMs' writes and may serve replaced values for up to their time to live. "
					+ "Enable a stream (any view type; KEYS_ONLY is enough) on the table.", this.table.tableName());
		}
	}

	private static Duration longer(Duration backoff) {
		Duration doubled = backoff.multipliedBy(2);
		return (doubled.compareTo(MAX_BACKOFF) < 0) ? doubled : MAX_BACKOFF;
	}

	private static Duration max(Duration one, Duration other) {
		return (one.compareTo(other) >= 0) ? one : other;
	}

}
