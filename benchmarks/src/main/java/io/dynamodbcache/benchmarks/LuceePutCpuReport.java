package io.dynamodbcache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The client CPU of one Lucee {@code cachePut}'s request, against the request that Lucee's own DynamoDB
 * extension sends for it (issue 19). Lucee's extension is not on Maven Central and cannot be installed here,
 * so its request is rebuilt from its source ({@code DynamoDBCache.put} and {@code Coder.toAttributeValue} of
 * lucee/extension-dynamodb): one UpdateItem that sets the value as a DynamoDB map, the update and creation
 * times and the TTL, with no condition. This library's is {@link DynamoDbCacheStore#putKeepingCreationTime}
 * (what {@code cachePut} calls): one UpdateItem that writes the encoded value, keeps the first creation time,
 * and holds a condition (the item is absent, live, or not a chunked value).
 * <p>
 * Both run on one thread, in alternating blocks of puts, against the same in-process DynamoDB Local; the
 * calling thread's CPU time per put (the SDK's marshalling, signing and HTTP client, and each side's own
 * work) is measured per block, so that both see the same machine. DynamoDB Local's own CPU is on its threads
 * and not counted. The value is a struct of the size of a typical session or query row (a name, a number, a
 * list and a nested struct). What is left out: the conversion of a CFML value, Lucee's codec here and
 * Lucee's {@code Coder} there, which need a Lucee engine; here the same map is given to the store's JSON
 * codec and converted to a DynamoDB map for the other request.
 * <p>
 * Run with {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.LuceePutCpuReport}.
 */
public final class LuceePutCpuReport {

	private static final int WARM_UP_PUTS = 3_000;

	private static final int BLOCKS = 30;

	private static final int PUTS_PER_BLOCK = 200;

	private static final String TABLE = "lucee-put-cpu";

	private static final String ORIGINAL_TABLE = "lucee-extension-shape";

	private LuceePutCpuReport() {
	}

	public static void main(String[] args) {
		Map<String, Object> value = sampleStruct();
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			DynamoDbClient client = local.client();
			DynamoDbCacheStore store = DynamoDbCacheStore.builder(client).tableName(TABLE).build();
			store.ensureTable();
			client.createTable((table) -> table.tableName(ORIGINAL_TABLE)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.keySchema(KeySchemaElement.builder().attributeName("key").keyType(KeyType.HASH).build())
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName("key")
					.attributeType(ScalarAttributeType.S)
					.build()));
			UpdateItemRequest ourRequest = capturedRequest(client, value);
			String update = ourRequest.updateExpression();
			String setOnly = update.substring(0, update.indexOf(" REMOVE "));
			UpdateItemRequest withoutRemove = ourRequest.toBuilder()
				.updateExpression(setOnly)
				.expressionAttributeNames(namesUsedIn(ourRequest, setOnly + " " + ourRequest.conditionExpression()))
				.build();
			UpdateItemRequest withoutCondition = ourRequest.toBuilder()
				.conditionExpression(null)
				.expressionAttributeNames(namesUsedIn(ourRequest, update))
				.build();
			Map<String, IntConsumer> sides = new LinkedHashMap<>();
			sides.put("Lucee's DynamoDB extension's put, rebuilt",
					(i) -> originalPut(client, "k" + (i % 1000), value, Duration.ofHours(1), null));
			sides.put("the same, with this library's time budget on the request",
					(i) -> originalPut(client, "k" + (i % 1000), value, Duration.ofHours(1), StoreVersusSdkBenchmark.BUDGET));
			sides.put("this library's cachePut (putKeepingCreationTime)",
					(i) -> store.putKeepingCreationTime("lucee", "k" + (i % 1000), value, Duration.ofHours(1), null));
			sides.put("its request, sent as it is with the raw SDK", (i) -> client.updateItem(ourRequest));
			sides.put("its request without the REMOVE of attributes an earlier item may have",
					(i) -> client.updateItem(withoutRemove));
			sides.put("its request without its condition", (i) -> client.updateItem(withoutCondition));
			Map<String, List<double[]>> measured = measure(sides);
			List<double[]> reference = measured.values().iterator().next();
			System.out.println("| request | client CPU per put, µs (median of " + BLOCKS + " blocks of " + PUTS_PER_BLOCK
					+ ") | ratio to the extension's, per block: median (min / max) | wall time per put, µs (median) |");
			System.out.println("|---|---:|---|---:|");
			measured.forEach((name, blocks) -> {
				List<Double> ratios = new ArrayList<>();
				for (int block = 0; block < BLOCKS; block++) {
					ratios.add(blocks.get(block)[0] / reference.get(block)[0]);
				}
				System.out.printf("| %s | %.0f | %.2f (%.2f / %.2f) | %.0f |%n", name, median(blocks, 0), median(ratios),
						Collections.min(ratios), Collections.max(ratios), median(blocks, 1));
			});
			System.out.printf("%nThe store's own work per put (a client that answers in memory): %.1f µs%n",
					ownWorkMicros(client, value));
			System.out.println("Its update expression: " + update);
			System.out.println("Its condition: " + ourRequest.conditionExpression());
		}
		System.exit(0);
	}

	/**
	 * Run every side in blocks of puts, each block starting with another side so that none always runs first.
	 * @return per side, per block, the calling thread's CPU time and the wall time per put in microseconds
	 */
	private static Map<String, List<double[]>> measure(Map<String, IntConsumer> sides) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<String> names = new ArrayList<>(sides.keySet());
		for (int i = 0; i < WARM_UP_PUTS; i++) {
			for (IntConsumer side : sides.values()) {
				side.accept(i);
			}
		}
		Map<String, List<double[]>> measured = new LinkedHashMap<>();
		names.forEach((name) -> measured.put(name, new ArrayList<>()));
		for (int block = 0; block < BLOCKS; block++) {
			double[][] results = new double[names.size()][];
			for (int turn = 0; turn < names.size(); turn++) {
				int side = (block + turn) % names.size();
				IntConsumer put = sides.get(names.get(side));
				long cpuBefore = threads.getCurrentThreadCpuTime();
				long wallBefore = System.nanoTime();
				for (int i = 0; i < PUTS_PER_BLOCK; i++) {
					put.accept(block * PUTS_PER_BLOCK + i);
				}
				results[side] = new double[] { (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e3 / PUTS_PER_BLOCK,
						(System.nanoTime() - wallBefore) / 1e3 / PUTS_PER_BLOCK };
			}
			for (int side = 0; side < names.size(); side++) {
				measured.get(names.get(side)).add(results[side]);
			}
		}
		return measured;
	}

	/** The UpdateItem that {@link DynamoDbCacheStore#putKeepingCreationTime} sends, without its overrides. */
	private static UpdateItemRequest capturedRequest(DynamoDbClient client, Map<String, Object> value) {
		List<UpdateItemRequest> sent = new ArrayList<>();
		DynamoDbCacheStore capturing = DynamoDbCacheStore.builder(new AnsweringClient(client, Map.of(), sent))
			.tableName(TABLE)
			.build();
		capturing.putKeepingCreationTime("lucee", "k0", value, Duration.ofHours(1), null);
		return sent.get(0).toBuilder().overrideConfiguration((AwsRequestOverrideConfiguration) null).build();
	}

	/** The store's CPU time per put on a client that answers in memory: its own work, without the SDK. */
	private static double ownWorkMicros(DynamoDbClient client, Map<String, Object> value) {
		DynamoDbCacheStore store = DynamoDbCacheStore.builder(new AnsweringClient(client, Map.of(), null))
			.tableName(TABLE)
			.build();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int puts = 200_000;
		for (int i = 0; i < puts; i++) {
			store.putKeepingCreationTime("lucee", "k" + (i % 1000), value, Duration.ofHours(1), null);
		}
		long before = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < puts; i++) {
			store.putKeepingCreationTime("lucee", "k" + (i % 1000), value, Duration.ofHours(1), null);
		}
		return (threads.getCurrentThreadCpuTime() - before) / 1e3 / puts;
	}

	/** The request's attribute names that the given expressions use. */
	private static Map<String, String> namesUsedIn(UpdateItemRequest request, String expressions) {
		Map<String, String> used = new HashMap<>();
		request.expressionAttributeNames().forEach((placeholder, name) -> {
			if (expressions.matches("(?s).*" + Pattern.quote(placeholder) + "(?![0-9A-Za-z_]).*")) {
				used.put(placeholder, name);
			}
		});
		return used;
	}

	/** The request of {@code DynamoDBCache.put} in lucee/extension-dynamodb, with its value conversion. */
	private static void originalPut(DynamoDbClient client, String key, Map<String, Object> value, Duration timeToLive,
			@Nullable AwsRequestOverrideConfiguration overrides) {
		long now = System.currentTimeMillis();
		StringBuilder update = new StringBuilder("SET ");
		update.append("#value = :value, ");
		update.append("#updatedTime = :now, ");
		update.append("#createdTime = if_not_exists(#createdTime, :now)");
		Map<String, String> names = new HashMap<>();
		names.put("#value", "value");
		names.put("#updatedTime", "updatedTime");
		names.put("#createdTime", "createdTime");
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":value", toAttributeValue(value));
		values.put(":now", AttributeValue.builder().n(String.valueOf(now)).build());
		update.append(", #ttl = :ttl");
		names.put("#ttl", "ttl");
		values.put(":ttl", AttributeValue.builder().n(String.valueOf((now + timeToLive.toMillis()) / 1000)).build());
		client.updateItem((request) -> request.tableName(ORIGINAL_TABLE)
			.overrideConfiguration(overrides)
			.key(Map.of("key", AttributeValue.builder().s(key).build()))
			.updateExpression(update.toString())
			.expressionAttributeNames(names)
			.expressionAttributeValues(values));
	}

	/** {@code Coder.toAttributeValue} for the kinds of values in the sample. */
	@SuppressWarnings("unchecked")
	private static AttributeValue toAttributeValue(Object value) {
		if (value instanceof CharSequence text) {
			return AttributeValue.builder().s(text.toString()).build();
		}
		if (value instanceof Number number) {
			return AttributeValue.builder().n(number.toString()).build();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, AttributeValue> converted = new HashMap<>();
			((Map<String, Object>) map).forEach((name, entry) -> converted.put(name, toAttributeValue(entry)));
			return AttributeValue.builder().m(converted).build();
		}
		if (value instanceof List<?> list) {
			List<AttributeValue> converted = new ArrayList<>();
			list.forEach((entry) -> converted.add(toAttributeValue(entry)));
			return AttributeValue.builder().l(converted).build();
		}
		return AttributeValue.builder().s(String.valueOf(value)).build();
	}

	/** A struct of about 300 bytes of JSON: what a session scope or a cached query row holds. */
	private static Map<String, Object> sampleStruct() {
		Map<String, Object> address = new LinkedHashMap<>();
		address.put("street", "Bahnhofstrasse 12");
		address.put("city", "Zurich");
		address.put("zip", "8001");
		Map<String, Object> struct = new LinkedHashMap<>();
		struct.put("userId", 48213);
		struct.put("name", "Ada Lovelace");
		struct.put("email", "ada@example.org");
		struct.put("roles", List.of("editor", "reviewer", "admin"));
		struct.put("address", address);
		struct.put("lastLogin", "2026-12-03T19:22:10Z");
		return struct;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	private static double median(List<double[]> blocks, int index) {
		return median(blocks.stream().map((block) -> block[index]).toList());
	}

}
