package io.dynamodbcache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dynamodbcache.benchmarks.StoreVersusSdkBenchmark.Product;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.testsupport.DynamoDbLocal;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A loopback HTTP server in the benchmark's JVM that answers every GetItem with the same stored item (a
 * product the store wrote to DynamoDB Local at start, key {@code p0} of cache {@code products}), every
 * PutItem with an empty answer, and the table checks as an active table with TTL on: the server's work is the
 * same small constant for the store's requests and for raw ones.
 */
final class CannedItemServer implements AutoCloseable {

	private final String table;

	private final Map<String, AttributeValue> primaryKey;

	private final Map<String, AttributeValue> storedItem;

	private final HttpServer server;

	private CannedItemServer(String table, Map<String, AttributeValue> primaryKey,
			Map<String, AttributeValue> storedItem, HttpServer server) {
		this.table = table;
		this.primaryKey = primaryKey;
		this.storedItem = storedItem;
		this.server = server;
	}

	/**
	 * Capture the item the store writes for the product, and start answering with it.
	 * @param threads the server's threads
	 */
	static CannedItemServer start(String table, Product product, JacksonValueCodec codec, int threads)
			throws IOException {
		Map<String, AttributeValue> primaryKey = Map.of("pk",
				AttributeValue.fromS("products#" + Math.floorMod("p0".hashCode(), 16)), "sk", AttributeValue.fromS("p0"));
		Map<String, AttributeValue> storedItem;
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			DynamoDbCacheStore.builder(local.client()).tableName(table).codec(codec).build().put("products", "p0", product);
			storedItem = local.client().getItem((request) -> request.tableName(table).key(primaryKey)).item();
		}
		String getItem = "{\"Item\":" + json(storedItem) + "}";
		// Without TCP_NODELAY the JDK's server answers in two writes that Nagle's algorithm holds back 40 ms.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setExecutor(Executors.newFixedThreadPool(threads));
		server.createContext("/", (exchange) -> answer(exchange, table, getItem));
		server.start();
		return new CannedItemServer(table, primaryKey, storedItem, server);
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	String table() {
		return this.table;
	}

	/** The raw key of the canned item. */
	Map<String, AttributeValue> primaryKey() {
		return this.primaryKey;
	}

	/** The canned item, as the store wrote it. */
	Map<String, AttributeValue> storedItem() {
		return this.storedItem;
	}

	@Override
	public void close() {
		this.server.stop(0);
		((ExecutorService) this.server.getExecutor()).shutdownNow();
	}

	/** The answer to any DynamoDB request the benchmark sends, by its X-Amz-Target header. */
	private static void answer(HttpExchange exchange, String table, String getItem) throws IOException {
		try (InputStream body = exchange.getRequestBody()) {
			body.readAllBytes();
		}
		String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
		String answer;
		if (target.endsWith(".GetItem")) {
			answer = getItem;
		}
		else if (target.endsWith(".DescribeTable")) {
			answer = "{\"Table\":{\"TableName\":\"" + table + "\",\"TableStatus\":\"ACTIVE\",\"KeySchema\":["
					+ "{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
					+ "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
					+ "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}]}}";
		}
		else if (target.endsWith(".DescribeTimeToLive")) {
			answer = "{\"TimeToLiveDescription\":{\"AttributeName\":\"expiresAt\",\"TimeToLiveStatus\":\"ENABLED\"}}";
		}
		else {
			answer = "{}";
		}
		byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** An item in DynamoDB's JSON: the store writes strings, numbers and binary only. */
	private static String json(Map<String, AttributeValue> item) {
		StringJoiner attributes = new StringJoiner(",", "{", "}");
		item.forEach((name, value) -> {
			String typed;
			if (value.s() != null) {
				typed = "{\"S\":\"" + value.s().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
			}
			else if (value.n() != null) {
				typed = "{\"N\":\"" + value.n() + "\"}";
			}
			else {
				SdkBytes bytes = value.b();
				typed = "{\"B\":\"" + Base64.getEncoder().encodeToString(bytes.asByteArray()) + "\"}";
			}
			attributes.add("\"" + name + "\":" + typed);
		});
		return attributes.toString();
	}

}
