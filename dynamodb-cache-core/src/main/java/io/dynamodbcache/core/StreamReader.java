package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads the changed keys of the table's stream, shard by shard, and knows where it stands in each shard, as
 * a checkpoint another reader can go on from. It follows child shards from their start and looks for new
 * shards once a minute and whenever a shard ends. Used by one thread at a time.
 */
final class StreamReader {

	private static final long DISCOVERY_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	/** The most records GetRecords returns; a full page means more are waiting. */
	static final int PAGE = 1000;

	/** The checkpoint's position of a shard that has nothing more to read: it ended, or ended before the start. */
	static final String FINISHED = "finished";

	private final DynamoDbStreamsClient streams;

	private final TableClient table;

	private final String streamArn;

	private final Map<String, String> iterators = new LinkedHashMap<>();

	/** The sequence number of the last record read from each shard that had one, or {@link #FINISHED}. */
	private final Map<String, String> positions = new LinkedHashMap<>();

	private final Set<String> finishedShards = new HashSet<>();

	private long nextDiscovery;

	private StreamReader(DynamoDbStreamsClient streams, TableClient table, String streamArn) {
		this.streams = streams;
		this.table = table;
		this.streamArn = streamArn;
	}

	/**
	 * A reader that goes on from a checkpoint: after the given sequence number in the shards it names, not at
	 * all in those it marks finished, from their start in the others (whose records may then be read twice,
	 * never missed); or, without a checkpoint, from the tip of every open shard.
	 * @return the reader, or {@code null} if the table has no stream
	 */
	static @Nullable StreamReader open(DynamoDbStreamsClient streams, TableClient table,
			@Nullable Map<String, String> checkpoint) {
		String arn = table.streamArn();
		if (arn == null) {
			return null;
		}
		StreamReader reader = new StreamReader(streams, table, arn);
		if (checkpoint != null) {
			reader.positions.putAll(checkpoint);
		}
		reader.discoverShards(checkpoint == null);
		return reader;
	}

	/**
	 * Whether a failure lost the reader's place in the stream: an iterator that expired (after 15 minutes),
	 * records trimmed (after 24 hours) or a stream that is gone. Timeouts, throttling and server errors do
	 * not: the same iterators are read again.
	 */
	static boolean losesPosition(RuntimeException failure) {
		return failure instanceof ExpiredIteratorException || failure instanceof TrimmedDataAccessException
				|| failure instanceof ResourceNotFoundException;
	}

	/**
	 * Read one page of every shard.
	 * @param sink told of each page's changed keys, in stream order, with the checkpoint after that page
	 * @return whether a shard had more records than one page
	 */
	boolean poll(PageSink sink) {
		if (System.nanoTime() - this.nextDiscovery >= 0) {
			discoverShards(false);
		}
		boolean moreWaiting = false;
		for (Map.Entry<String, String> shard : new ArrayList<>(this.iterators.entrySet())) {
			GetRecordsResponse response = this.streams.getRecords((request) -> request.shardIterator(shard.getValue())
				.limit(PAGE)
				.overrideConfiguration(this.table.overrides()));
			Set<ChangedKey> changed = new LinkedHashSet<>();
			for (Record record : response.records()) {
				ChangedKey key = ChangedKey.of(record);
				if (key != null) {
					changed.add(key);
				}
			}
			boolean finished = response.nextShardIterator() == null;
			if (finished) {
				// The shard's last page: the checkpoint passed on with it says so, and no successor reads it again.
				this.positions.put(shard.getKey(), FINISHED);
			}
			else if (!response.records().isEmpty()) {
				this.positions.put(shard.getKey(),
						response.records().get(response.records().size() - 1).dynamodb().sequenceNumber());
			}
			// The page counts as read once its keys are passed on; a failure before that reads it again.
			sink.accept(new ArrayList<>(changed), Map.copyOf(this.positions));
			moreWaiting |= response.records().size() >= PAGE;
			if (finished) {
				this.iterators.remove(shard.getKey());
				this.finishedShards.add(shard.getKey());
				this.nextDiscovery = System.nanoTime();
			}
			else {
				this.iterators.put(shard.getKey(), response.nextShardIterator());
			}
		}
		return moreWaiting;
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
				String position = this.positions.get(shard.shardId());
				if ((fromTip && !open) || FINISHED.equals(position)) {
					// Ended before the start, or read to its end by a reader before this one: its records are known.
					this.finishedShards.add(shard.shardId());
					this.positions.put(shard.shardId(), FINISHED);
				}
				else if (fromTip) {
					this.iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.LATEST, null));
				}
				else if (position != null) {
					this.iterators.put(shard.shardId(),
							iterator(shard.shardId(), ShardIteratorType.AFTER_SEQUENCE_NUMBER, position));
				}
				else {
					// A shard split off later, or one the checkpoint has no record of: read it from its start.
					this.iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.TRIM_HORIZON, null));
				}
			}
			start = response.streamDescription().lastEvaluatedShardId();
		}
		while (start != null);
		this.finishedShards.retainAll(listed);
		this.positions.keySet().retainAll(listed);
		this.nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL_NANOS;
	}

	private String iterator(String shardId, ShardIteratorType type, @Nullable String sequenceNumber) {
		return this.streams
			.getShardIterator((request) -> request.streamArn(this.streamArn)
				.shardId(shardId)
				.shardIteratorType(type)
				.sequenceNumber(sequenceNumber)
				.overrideConfiguration(this.table.overrides()))
			.shardIterator();
	}

	/** What a page of a shard changed, and the reader's checkpoint once it has been passed on. */
	@FunctionalInterface
	interface PageSink {

		void accept(List<ChangedKey> changed, Map<String, String> checkpoint);

	}

	/** A key of a cache that a write or delete changed: the cache name and the item's sort key. */
	record ChangedKey(String cacheName, String sortKey) {

		/** The cache entry a stream record is about, or {@code null} for items no cache reads. */
		static @Nullable ChangedKey of(Record record) {
			Map<String, AttributeValue> keys = (record.dynamodb() != null) ? record.dynamodb().keys() : Map.of();
			AttributeValue partitionKey = keys.get(ItemLayout.PARTITION_KEY);
			AttributeValue sortKey = keys.get(ItemLayout.SORT_KEY);
			if (partitionKey == null || partitionKey.s() == null || sortKey == null || sortKey.s() == null) {
				return null;
			}
			int separator = partitionKey.s().lastIndexOf('#');
			// The feed and the breaker probe have no '#' in their partition key, and chunks are read through
			// their head: no near cache holds a copy of them.
			return (separator < 0 || ItemLayout.isChunkPartition(partitionKey.s())) ? null
					: new ChangedKey(partitionKey.s().substring(0, separator), sortKey.s());
		}

	}

}
