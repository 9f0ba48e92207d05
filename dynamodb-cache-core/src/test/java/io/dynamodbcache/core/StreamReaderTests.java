package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

import io.dynamodbcache.core.StreamReader.ChangedKey;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream reader at the end of a shard, on DynamoDB Local, which closes a stream's shard when the stream is
 * disabled (DynamoDB closes shards on its own, about every four hours): the shard's last records are passed on,
 * the checkpoint marks the shard finished, and the reader neither reads it again nor loses a record.
 */
@DynamoDbLocalTest
class StreamReaderTests {

	private static final ItemLayout LAYOUT = new ItemLayout(1);

	private final DynamoDbStreamsClient streams = DynamoDbLocal.shared().newStreamsClient();

	private DynamoDbClient client;

	private String table;

	private DynamoDbCacheStore store;

	private TableClient tableClient;

	@AfterEach
	void closeStreamsClient() {
		this.streams.close();
	}

	/** A table of its own for the test, created by a first write (before any stream reader enables the stream). */
	private void useTable(DynamoDbClient dynamoDb, String name) {
		this.client = dynamoDb;
		this.table = name;
		this.store = DynamoDbCacheStore.builder(dynamoDb).tableName(name).shards(1).build();
		this.store.put("c", "before", "v");
		RequestPath path = new RequestPath(name, DynamoDbRequestListener.none(), RequestBudget.DEFAULT,
				CircuitBreakers.forTable(name, CircuitBreakers.defaultConfig()));
		this.tableClient = new TableClient(dynamoDb, AsyncAccess.of(null, dynamoDb, ForkJoinPool.commonPool()), path,
				true, false);
	}

	/** Disable the table's stream: DynamoDB Local then closes its shard. */
	private void closeTheStream() {
		this.client.updateTable((request) -> request.tableName(this.table)
			.streamSpecification((spec) -> spec.streamEnabled(false)));
	}

	@Test
	void aClosedShardsLastRecordsArePassedOnAndTheShardIsMarkedFinishedAndNotReadAgain(DynamoDbClient client,
			UniqueTableName tableName) {
		useTable(client, tableName.value() + "-closed");
		StreamReader reader = StreamReader.open(this.streams, this.tableClient, null);
		assertThat(reader).isNotNull();
		Pages pages = new Pages();
		this.store.put("c", "a", "v");
		reader.poll(pages);
		assertThat(pages.keys()).containsExactly(changed("a"));
		String shard = pages.lastCheckpoint().keySet().iterator().next();
		assertThat(pages.lastCheckpoint().get(shard)).isNotEqualTo(StreamReader.FINISHED);

		// The last write of the shard, then the shard closes before the reader reads it.
		this.store.put("c", "b", "v");
		closeTheStream();
		reader.poll(pages);

		assertThat(pages.keys()).containsExactly(changed("a"), changed("b"));
		assertThat(pages.lastCheckpoint()).containsEntry(shard, StreamReader.FINISHED);

		// Nothing is read again: the finished shard has no iterator, and discovery keeps it finished.
		int seen = pages.keys().size();
		reader.poll(pages);
		reader.poll(pages);
		assertThat(pages.keys()).hasSize(seen);
		assertThat(pages.lastCheckpoint()).containsEntry(shard, StreamReader.FINISHED);

		// Read from its start, the closed shard holds exactly the records the reader passed on (the write before
		// the reader opened predates the stream, which opening enabled).
		String arn = client.describeTable((request) -> request.tableName(this.table)).table().latestStreamArn();
		assertThat(recordsFromStart(arn, shard)).isEqualTo(pages.keys().size());
	}

	@Test
	void aReaderGoingOnFromACheckpointReadsShardsTheCheckpointDoesNotKnowFromTheirStart(DynamoDbClient client,
			UniqueTableName tableName) {
		useTable(client, tableName.value() + "-successor");
		Pages first = new Pages();
		StreamReader reader = StreamReader.open(this.streams, this.tableClient, null);
		this.store.put("c", "a", "v");
		reader.poll(first);
		closeTheStream();
		reader.poll(first);
		Map<String, String> checkpoint = first.lastCheckpoint();

		// A new stream (as after DynamoDB closes a shard, a shard no checkpoint has seen), written to before
		// the next reader opens: that reader reads the new shard from its start and misses nothing.
		String newStream = this.tableClient.streamArn();
		this.store.put("c", "b", "v");
		Pages next = new Pages();
		StreamReader successor = StreamReader.open(this.streams, this.tableClient, checkpoint);
		successor.poll(next);

		assertThat(newStream).isNotNull();
		assertThat(next.keys()).containsExactly(changed("b"));
	}

	private int recordsFromStart(String arn, String shard) {
		String iterator = this.streams.getShardIterator((request) -> request.streamArn(arn)
			.shardId(shard)
			.shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
		int records = 0;
		while (iterator != null) {
			String current = iterator;
			var response = this.streams.getRecords((request) -> request.shardIterator(current));
			records += response.records().size();
			iterator = response.nextShardIterator();
		}
		return records;
	}

	private static ChangedKey changed(String key) {
		return new ChangedKey("c", LAYOUT.primaryKey("c", key).get(ItemLayout.SORT_KEY).s());
	}

	/** The pages the reader passed on. */
	private static final class Pages implements StreamReader.PageSink {

		private final List<ChangedKey> keys = new ArrayList<>();

		private Map<String, String> lastCheckpoint = Map.of();

		@Override
		public void accept(List<ChangedKey> changed, Map<String, String> checkpoint) {
			this.keys.addAll(changed);
			this.lastCheckpoint = checkpoint;
		}

		List<ChangedKey> keys() {
			return this.keys;
		}

		Map<String, String> lastCheckpoint() {
			return this.lastCheckpoint;
		}

	}

}
