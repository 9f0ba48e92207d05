package io.dynamodbcache.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The SDK's synchronous HTTP clients side by side: a GetItem of a 200-byte item on the same in-process
 * DynamoDB Local, with each client at its defaults. Run with {@code -t 1} (latency: the inverse of the
 * throughput) and {@code -t 16} (throughput under concurrency). ApacheHttpClient (Apache HttpClient 4.5) is
 * deprecated in the SDK version the build uses; this is how its replacement was chosen.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HttpClientBenchmark {

	private static final String TABLE = "http-client-benchmark";

	private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("c#0"), "sk",
			AttributeValue.fromS("k"));

	@Param({ "apache4", "apache5", "urlconnection", "crt" })
	public String httpClient;

	private DynamoDbLocal local;

	private DynamoDbClient client;

	@Setup(Level.Trial)
	public void setUp() {
		this.local = DynamoDbLocal.start();
		this.client = DynamoDbClient.builder()
			.httpClient(httpClient(this.httpClient))
			.endpointOverride(this.local.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("benchmark", "local")))
			.build();
		this.client.createTable((table) -> table.tableName(TABLE)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
					AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
			.keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
					KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
		Map<String, AttributeValue> item = new java.util.HashMap<>(KEY);
		item.put("val", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[200])));
		this.client.putItem((put) -> put.tableName(TABLE).item(item));
	}

	private static SdkHttpClient httpClient(String name) {
		return switch (name) {
			case "apache4" -> ApacheHttpClient.create();
			case "apache5" -> Apache5HttpClient.create();
			case "urlconnection" -> UrlConnectionHttpClient.create();
			case "crt" -> AwsCrtHttpClient.create();
			default -> throw new IllegalArgumentException(name);
		};
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.client.close();
		this.local.stop();
	}

	@Benchmark
	public Object getItem() {
		return this.client.getItem((get) -> get.tableName(TABLE).key(KEY)).item();
	}

}
