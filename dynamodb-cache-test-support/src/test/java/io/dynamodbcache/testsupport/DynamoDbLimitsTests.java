package io.dynamodbcache.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@DynamoDbLocalTest
class DynamoDbLimitsTests {

	private static DynamoDbClient withoutRetries(FaultProxy proxy) {
		return DynamoDbLocal.clientOf(DynamoDbClient.builder()
			.overrideConfiguration((configuration) -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry())),
				proxy.endpoint());
	}

	private static void createTable(DynamoDbClient client, String table) {
		client.createTable((request) -> request.tableName(table)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.keySchema((key) -> key.attributeName("pk").keyType(KeyType.HASH),
					(key) -> key.attributeName("sk").keyType(KeyType.RANGE))
			.attributeDefinitions((attribute) -> attribute.attributeName("pk").attributeType(ScalarAttributeType.S),
					(attribute) -> attribute.attributeName("sk").attributeType(ScalarAttributeType.S))
			.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
	}

	private static Map<String, AttributeValue> key(String partition) {
		return Map.of("pk", AttributeValue.fromS(partition), "sk", AttributeValue.fromS("k"));
	}

	/** How many of {@code count} reads sent at once are let through, and how long they took. */
	private static int reads(DynamoDbClient client, String table, String partition, boolean consistent, int count,
			long[] elapsedNanos) {
		int admitted = 0;
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			try {
				client.getItem((request) -> request.tableName(table).key(key(partition)).consistentRead(consistent));
				admitted++;
			}
			catch (ThrottlingException ex) {
				// counted below
			}
		}
		elapsedNanos[0] = System.nanoTime() - start;
		return admitted;
	}

	@Test
	void readsOfOnePartitionKeyValueBeyondItsReadUnitsAreThrottledWithDynamoDbsErrorAndOthersAreNot(
			DynamoDbClient direct, UniqueTableName unique) {
		String table = unique.value() + "-reads";
		createTable(direct, table);
		// 30 read units per second and partition: 60 eventually consistent reads, 30 strongly consistent ones.
		DynamoDbLimits limits = DynamoDbLimits.builder().scale(0.01).build();
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint());
				DynamoDbClient client = withoutRetries(proxy)) {
			proxy.enforce(limits);
			long[] elapsed = new long[1];
			int eventual = reads(client, table, "hot#1", false, 200, elapsed);
			assertThat(eventual).isBetween(60, 60 + (int) Math.ceil(elapsed[0] / 1e9 * 60) + 1);

			// The bucket refills as time passes (0.5 units take 17 ms): read until a read is refused.
			ThrottlingException throttled = null;
			int extra = 0;
			while (throttled == null && extra < 1_000) {
				extra++;
				try {
					client.getItem((request) -> request.tableName(table).key(key("hot#1")));
				}
				catch (ThrottlingException ex) {
					throttled = ex;
				}
			}
			assertThat(throttled).isNotNull();
			assertThat(throttled.isThrottlingException()).isTrue();
			assertThat(throttled.throttlingReasons())
				.singleElement()
				.satisfies((reason) -> assertThat(reason.reason()).isEqualTo("TableReadKeyRangeThroughputExceeded"));

			int consistent = reads(client, table, "hot#2", true, 200, elapsed);
			assertThat(consistent).isBetween(30, 30 + (int) Math.ceil(elapsed[0] / 1e9 * 30) + 1);
			assertThat(reads(client, table, "cold#1", false, 10, elapsed)).isEqualTo(10);

			assertThat(limits.throttled("GetItem")).isEqualTo(200 - eventual + 1 + 200 - consistent);
			assertThat(limits.admitted("GetItem")).isEqualTo(eventual + (extra - 1) + consistent + 10);
			assertThat(limits.throttled()).containsOnlyKeys("GetItem/TableReadKeyRangeThroughputExceeded");
			assertThat(limits.consumedReadUnits("hot#1")).isEqualTo((eventual + extra - 1) * 0.5);
		}
	}

	@Test
	void writesOfOnePartitionKeyValueCostOneWriteUnitPerStartedKilobyte(DynamoDbClient direct, UniqueTableName unique) {
		String table = unique.value() + "-writes";
		createTable(direct, table);
		// 10 write units per second and partition.
		DynamoDbLimits limits = DynamoDbLimits.builder().scale(0.01).build();
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint());
				DynamoDbClient client = withoutRetries(proxy)) {
			proxy.enforce(limits);
			String large = "x".repeat(2_500);
			int admitted = 0;
			long start = System.nanoTime();
			for (int i = 0; i < 20; i++) {
				try {
					client.putItem((request) -> request.tableName(table)
						.item(Map.of("pk", AttributeValue.fromS("w#1"), "sk", AttributeValue.fromS("k"), "v",
								AttributeValue.fromS(large))));
					admitted++;
				}
				catch (ThrottlingException ex) {
					assertThat(ex.throttlingReasons().get(0).reason()).isEqualTo("TableWriteKeyRangeThroughputExceeded");
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			// Three write units each (a body of about 2.6 KB): 3 writes from a full bucket, plus the refill.
			assertThat(admitted).isBetween(3, 3 + (int) Math.ceil(seconds * 10 / 3) + 1);
			assertThat(limits.throttled("PutItem")).isEqualTo(20 - admitted);
		}
	}

	@Test
	void aThirdProcessReadingOneStreamShardIsRefusedUntilOneOfTheTwoStops(DynamoDbClient direct,
			UniqueTableName unique) throws InterruptedException {
		String table = unique.value() + "-stream";
		createTable(direct, table);
		DynamoDbLimits limits = DynamoDbLimits.builder().readerWindow(Duration.ofMillis(500)).build();
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint());
				DynamoDbStreamsClient first = proxy.newStreamsClient("first");
				DynamoDbStreamsClient second = proxy.newStreamsClient("second");
				DynamoDbStreamsClient third = proxy.newStreamsClient("third")) {
			proxy.enforce(limits);
			String arn = direct.describeTable((request) -> request.tableName(table)).table().latestStreamArn();
			String shard = first.describeStream((request) -> request.streamArn(arn))
				.streamDescription()
				.shards()
				.get(0)
				.shardId();
			List<String> iterators = List.of(first, second, third)
				.stream()
				.map((client) -> client.getShardIterator((request) -> request.streamArn(arn)
					.shardId(shard)
					.shardIteratorType(ShardIteratorType.LATEST)).shardIterator())
				.toList();

			first.getRecords((request) -> request.shardIterator(iterators.get(0)));
			second.getRecords((request) -> request.shardIterator(iterators.get(1)));
			assertThatExceptionOfType(LimitExceededException.class)
				.isThrownBy(() -> third.getRecords((request) -> request.shardIterator(iterators.get(2))));
			// The first two read on; the third gets in once one of them has not read for the reader window.
			second.getRecords((request) -> request.shardIterator(iterators.get(1)));
			Thread.sleep(400);
			second.getRecords((request) -> request.shardIterator(iterators.get(1)));
			Thread.sleep(300);
			third.getRecords((request) -> request.shardIterator(iterators.get(2)));
			assertThat(limits.throttled()).containsKey("GetRecords/ReadersPerShardExceeded");
			assertThat(limits.mostReadersPerShard()).isEqualTo(2);
		}
	}

	@Test
	void shardsAreToldApartInDynamoDbLocalsIterators() {
		String iterator = "arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026|001|"
				+ java.util.Base64.getEncoder().encodeToString("shardId-1|000002|0001".getBytes());
		assertThat(DynamoDbLimits.shardOf(iterator)).isEqualTo("arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026/shardId-1");
		assertThat(DynamoDbLimits.strings("{\"pk\":{\"S\":\"a\\\"b\\u0041\"},\"x\":{\"pk\":{\"S\":\"c\"}}}", "\"pk\":{\"S\":\""))
			.containsExactly("a\"bA", "c");
	}

}
