package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads the table's stream on one daemon thread and drops the near caches' copies of every key that any JVM
 * wrote or deleted. It starts at the tip of every open shard (a new near cache has nothing older to drop),
 * follows child shards from their start, and looks for new shards once a minute and whenever a shard ends.
 * <p>
 * Whenever it starts or restarts, after a failure that lost its place in the stream (an expired iterator,
 * trimmed records, a stream that is gone), it drops every copy once it is reading again. Timeouts,
 * throttling and server errors do not lose it (records wait in the stream for 24 hours): it backs off and
 * reads on from where it stopped, keeping the copies. While it cannot read, it says so
 * ({@link #isReading()}), and copies live out their time-to-live, the documented staleness bound. It ends
 * when the store is closed, or when no near cache is in use any more.
 */
final class StreamInvalidation {

	private static final Logger logger = LoggerFactory.getLogger(StreamInvalidation.class);

	private static final long DISCOVERY_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	/** The most records GetRecords returns; a full page means more are waiting. */
	private static final int PAGE = 1000;

	private final RateLimitedLog failureLog = new RateLimitedLog(logger);

	private final DynamoDbStreamsClient streams;

	private final TableClient table;

	private final Duration pollInterval;

	private final NearCacheListener listener;

	private final NearCaching nearCaching;

	/** When this JVM's recent writes ended, by cache and sort key, until their records arrive. */
	private final Cache<String, Long> pendingWrites = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		.build();

	private @Nullable Thread thread;

	private volatile boolean closed;

	private volatile boolean reading;

	// The reader's state, touched by its thread only.

	private @Nullable String streamArn;

	private final Map<String, String> iterators = new LinkedHashMap<>();

	private final Set<String> finishedShards = new HashSet<>();

	private long nextDiscovery;

	private boolean warnedNoStream;

	/** Whether it stands at a known place in every shard, from which a failed read can simply be retried. */
	private boolean positioned;

	StreamInvalidation(DynamoDbStreamsClient streams, TableClient table, Duration pollInterval,
			NearCacheListener listener, NearCaching nearCaching) {
		this.streams = streams;
		this.table = table;
		this.pollInterval = pollInterval;
		this.listener = listener;
		this.nearCaching = nearCaching;
	}

	/** Note that this JVM wrote a key, to measure how long its record takes to arrive. */
	void wrote(String cacheName, String sortKey) {
		if (this.reading) {
			this.pendingWrites.put(pendingKey(cacheName, sortKey), System.nanoTime());
		}
	}

	boolean isReading() {
		return this.reading;
	}

	synchronized void close() {
		this.closed = true;
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	/** Start the reader, unless it runs or was closed. */
	synchronized void start() {
		if (this.thread == null && !this.closed) {
			Thread reader = new Thread(this::run, "dynamodb-cache-stream-" + this.table.tableName());
			reader.setDaemon(true);
			reader.start();
			this.thread = reader;
		}
	}

	private void run() {
		Duration backoff = this.pollInterval;
		try {
			while (!this.closed && !this.nearCaching.retireIfUnused(this)) {
				try {
					boolean moreWaiting = poll();
					backoff = this.pollInterval;
					if (!moreWaiting) {
						Thread.sleep(this.pollInterval.toMillis());
					}
				}
				catch (RuntimeException ex) {
					backoff = longer(backoff);
					// Until it reads again, this node is not told of changes, and says so.
					this.reading = false;
					if (ex instanceof LimitExceededException || CircuitBreakers.isThrottling(ex)) {
						this.failureLog.warn("Reading the stream of DynamoDB table '{}' is throttled (more than two "
								+ "readers per shard?); near caches may serve replaced values for up to their time "
								+ "to live. Retrying in {} ms", this.table.tableName(), backoff.toMillis());
					}
					else {
						this.failureLog.warn("Could not read the stream of DynamoDB table '{}'; near caches may serve "
								+ "replaced values for up to their time to live. Retrying in {} ms: {}",
								this.table.tableName(), backoff.toMillis(), ex.toString());
					}
					if (!this.positioned || losesPosition(ex)) {
						restart();
					}
					Thread.sleep(backoff.toMillis());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.reading = false;
		}
	}

	/** Read every shard once; tells whether a shard had more records than one page. */
	private boolean poll() throws InterruptedException {
		if (this.streamArn == null && !open()) {
			Thread.sleep(TimeUnit.MINUTES.toMillis(1));
			return false;
		}
		if (System.nanoTime() - this.nextDiscovery >= 0) {
			discoverShards(false);
		}
		boolean moreWaiting = false;
		for (Map.Entry<String, String> shard : new ArrayList<>(this.iterators.entrySet())) {
			GetRecordsResponse response = this.streams.getRecords((request) -> request.shardIterator(shard.getValue())
				.limit(PAGE)
				.overrideConfiguration(this.table.overrides()));
			response.records().forEach(this::invalidate);
			moreWaiting |= response.records().size() >= PAGE;
			if (response.nextShardIterator() == null) {
				this.iterators.remove(shard.getKey());
				this.finishedShards.add(shard.getKey());
				this.nextDiscovery = System.nanoTime();
			}
			else {
				this.iterators.put(shard.getKey(), response.nextShardIterator());
			}
		}
		// Every shard answered: told of changes again (after throttling, it went on from where it stopped).
		this.reading = true;
		return moreWaiting;
	}

	/** Find the stream and start at its tip; tells whether the table has a stream. */
	private boolean open() {
		String arn = this.table.streamArn();
		if (arn == null) {
			if (!this.warnedNoStream) {
				this.warnedNoStream = true;
				logger.warn("DynamoDB table '{}' has no stream and table creation is disabled, so near caches are not "
						+ "told of other JVMs' writes and may serve replaced values for up to their time to live. "
						+ "Enable a stream (any view type; KEYS_ONLY is enough) on the table.", this.table.tableName());
			}
			return false;
		}
		this.streamArn = arn;
		discoverShards(true);
		this.positioned = true;
		this.reading = true;
		// Copies taken before the reader stood at the tip may have missed a change.
		this.nearCaching.invalidateAll();
		return true;
	}

	/**
	 * Whether a failure lost the reader's place in the stream: an iterator that expired (after 15 minutes),
	 * records trimmed (after 24 hours) or a stream that is gone. Timeouts, throttling and server errors do
	 * not: the same iterators are read again.
	 */
	private static boolean losesPosition(RuntimeException failure) {
		return failure instanceof ExpiredIteratorException || failure instanceof TrimmedDataAccessException
				|| failure instanceof ResourceNotFoundException;
	}

	private void restart() {
		this.positioned = false;
		this.streamArn = null;
		this.iterators.clear();
		this.finishedShards.clear();
		this.reading = false;
	}

	private void discoverShards(boolean fromTip) {
		Set<String> listed = new HashSet<>();
		String start = null;
		do {
			String exclusiveStart = start;
			DescribeStreamResponse response = this.streams.describeStream((request) -> request.streamArn(this.streamArn)
				.exclusiveStartShardId(exclusiveStart)
				.overrideConfiguration(this.table.overrides()));
			for (Shard shard : response.streamDescription().shards()) {
				listed.add(shard.shardId());
				if (this.iterators.containsKey(shard.shardId()) || this.finishedShards.contains(shard.shardId())) {
					continue;
				}
				boolean open = shard.sequenceNumberRange() == null
						|| shard.sequenceNumberRange().endingSequenceNumber() == null;
				if (fromTip && !open) {
					this.finishedShards.add(shard.shardId());
				}
				else {
					// A shard found later was split off after the reader started: read it from its start.
					this.iterators.put(shard.shardId(),
							iterator(shard.shardId(), fromTip ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON));
				}
			}
			start = response.streamDescription().lastEvaluatedShardId();
		}
		while (start != null);
		this.finishedShards.retainAll(listed);
		this.nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL_NANOS;
	}

	private String iterator(String shardId, ShardIteratorType type) {
		return this.streams
			.getShardIterator((request) -> request.streamArn(this.streamArn)
				.shardId(shardId)
				.shardIteratorType(type)
				.overrideConfiguration(this.table.overrides()))
			.shardIterator();
	}

	private void invalidate(Record record) {
		Map<String, AttributeValue> keys = (record.dynamodb() != null) ? record.dynamodb().keys() : Map.of();
		AttributeValue partitionKey = keys.get(ItemLayout.PARTITION_KEY);
		AttributeValue sortKey = keys.get(ItemLayout.SORT_KEY);
		if (partitionKey == null || partitionKey.s() == null || sortKey == null || sortKey.s() == null) {
			return;
		}
		int separator = partitionKey.s().lastIndexOf('#');
		if (separator < 0) {
			return;
		}
		String cacheName = partitionKey.s().substring(0, separator);
		this.nearCaching.invalidate(cacheName, sortKey.s(), true);
		Long wroteAt = this.pendingWrites.asMap().remove(pendingKey(cacheName, sortKey.s()));
		if (wroteAt != null) {
			this.listener.invalidationLag(Duration.ofNanos(System.nanoTime() - wroteAt));
		}
	}

	private Duration longer(Duration backoff) {
		Duration doubled = backoff.multipliedBy(2);
		return (doubled.compareTo(MAX_BACKOFF) < 0) ? doubled : MAX_BACKOFF;
	}

	private static String pendingKey(String cacheName, String sortKey) {
		return cacheName + '\u0000' + sortKey;
	}

}
