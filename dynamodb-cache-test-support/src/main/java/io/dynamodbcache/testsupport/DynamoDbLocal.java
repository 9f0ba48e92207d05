package io.dynamodbcache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * A real DynamoDB Local server running inside this JVM, in memory, on a free port.
 * <p>
 * {@link #shared()} gives the one server of the JVM (started on first use, stopped at JVM exit); tests that
 * need to stop a server, for example to simulate an outage, {@link #start() start} a private one. The
 * sqlite4java native libraries that DynamoDB Local needs are packed into this module's jar by the build and
 * extracted to a temporary directory on first start, unless {@code sqlite4java.library.path} is already set.
 * <p>
 * All clients use region {@code us-east-1} and fixed dummy credentials (DynamoDB Local accepts only letters and digits in
 * access key ids); the server runs with
 * {@code -sharedDb}, so every client sees the same tables whatever credentials it signs with.
 */
public final class DynamoDbLocal implements AutoCloseable {

	/** Region the clients of this server are configured with. */
	public static final Region REGION = Region.US_EAST_1;

	private static final String NATIVES_RESOURCE_DIR = "/io/dynamodbcache/testsupport/natives/";

	private static final List<String> NATIVE_LIBRARIES = List.of("libsqlite4java-linux-amd64.so",
			"libsqlite4java-linux-i386.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll",
			"sqlite4java-win32-x86.dll");

	private static final int START_ATTEMPTS = 5;

	/** Rounds of the requests a cache sends, enough for the server to answer the next ones at its usual speed. */
	private static final int WARM_UP_ROUNDS = 50;

	private static volatile DynamoDbLocal shared;

	private final DynamoDBProxyServer server;

	private final int port;

	private volatile boolean running = true;

	private volatile DynamoDbClient client;

	private volatile DynamoDbAsyncClient asyncClient;

	private DynamoDbLocal(DynamoDBProxyServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Return the server shared by everything in this JVM, starting it on first use. Do not stop it.
	 * @return the running shared server
	 */
	public static DynamoDbLocal shared() {
		DynamoDbLocal local = shared;
		if (local == null) {
			synchronized (DynamoDbLocal.class) {
				local = shared;
				if (local == null) {
					local = start();
					DynamoDbLocal toStop = local;
					Runtime.getRuntime().addShutdownHook(new Thread(toStop::stop, "dynamodb-local-shutdown"));
					shared = local;
				}
			}
		}
		return local;
	}

	/**
	 * Start a new private server on a free port. The caller owns it and must {@link #stop()} it.
	 * @return the running server
	 * @throws IllegalStateException if the server cannot be started
	 */
	public static DynamoDbLocal start() {
		prepareNativeLibraries();
		Exception lastFailure = null;
		for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
			int port = freePort();
			try {
				DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
						new String[] { "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port) });
				server.start();
				DynamoDbLocal local = new DynamoDbLocal(server, port);
				local.warmUp();
				return local;
			}
			catch (Exception ex) {
				// Another process may have taken the port between probing and binding: try another one.
				lastFailure = ex;
			}
		}
		throw new IllegalStateException("Could not start DynamoDB Local after " + START_ATTEMPTS + " attempts",
				lastFailure);
	}

	/**
	 * Send the requests a cache sends, with no time limit, before any test does: a freshly started server
	 * answers its first requests slowly (class loading, JIT, SQLite), and a test's first request, which has the
	 * cache's 900 ms budget, timed out on a busy machine. A warm-up that fails leaves the server as it was.
	 */
	private void warmUp() {
		String table = "dynamodb-local-warm-up";
		try (DynamoDbClient warmUpClient = clientOf(DynamoDbClient.builder(), endpoint())) {
			warmUpClient.createTable((request) -> request.tableName(table)
				.keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
				.attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
					.attributeType(ScalarAttributeType.S)
					.build())
				.billingMode(BillingMode.PAY_PER_REQUEST));
			for (int i = 0; i < WARM_UP_ROUNDS; i++) {
				Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k" + i));
				warmUpClient.describeTable((request) -> request.tableName(table));
				warmUpClient.putItem((request) -> request.tableName(table).item(key));
				warmUpClient.getItem((request) -> request.tableName(table).key(key));
				warmUpClient.deleteItem((request) -> request.tableName(table).key(key));
			}
			warmUpClient.deleteTable((request) -> request.tableName(table));
		}
		catch (RuntimeException ex) {
			// Only the first requests stay slow.
		}
	}

	/**
	 * Return the port the server listens on.
	 * @return the TCP port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the endpoint to point an AWS SDK client at.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Return a synchronous client for this server, created on first use and closed by {@link #stop()}.
	 * @return the client
	 */
	public DynamoDbClient client() {
		DynamoDbClient result = this.client;
		if (result == null) {
			synchronized (this) {
				result = this.client;
				if (result == null) {
					result = clientOf(DynamoDbClient.builder(), endpoint());
					this.client = result;
				}
			}
		}
		return result;
	}

	/**
	 * Return an asynchronous client for this server, created on first use and closed by {@link #stop()}.
	 * @return the client
	 */
	public DynamoDbAsyncClient asyncClient() {
		DynamoDbAsyncClient result = this.asyncClient;
		if (result == null) {
			synchronized (this) {
				result = this.asyncClient;
				if (result == null) {
					result = clientOf(DynamoDbAsyncClient.builder(), endpoint());
					this.asyncClient = result;
				}
			}
		}
		return result;
	}

	/**
	 * Create a DynamoDB Streams client for this server (DynamoDB Local serves both APIs on one endpoint). The
	 * caller closes it.
	 * @return a new client
	 */
	public DynamoDbStreamsClient newStreamsClient() {
		return clientOf(DynamoDbStreamsClient.builder(), endpoint());
	}

	/** A client of the builder's kind for an endpoint of DynamoDB Local: its region and dummy credentials. */
	static <B extends AwsClientBuilder<B, C>, C> C clientOf(B builder, URI endpoint) {
		return builder.endpointOverride(endpoint).region(REGION).credentialsProvider(credentials()).build();
	}

	/**
	 * Return the dummy credentials DynamoDB Local accepts.
	 * @return a provider of static dummy credentials
	 */
	public static StaticCredentialsProvider credentials() {
		return StaticCredentialsProvider.create(AwsBasicCredentials.create("dynamodbcache", "local"));
	}

	/**
	 * Whether the server is still running.
	 * @return {@code false} once {@link #stop()} has been called
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop the server and close the clients created by this instance. Idempotent.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		closeQuietly(this.client);
		closeQuietly(this.asyncClient);
		try {
			this.server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not stop DynamoDB Local on port " + this.port, ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Closing a client of a stopped test server: nothing useful to report.
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port for DynamoDB Local", ex);
		}
	}

	private static synchronized void prepareNativeLibraries() {
		if (System.getProperty("sqlite4java.library.path") != null) {
			return;
		}
		try {
			Path directory = Files.createTempDirectory("dynamodb-cache-sqlite4java");
			directory.toFile().deleteOnExit();
			int extracted = 0;
			for (String library : NATIVE_LIBRARIES) {
				try (InputStream in = DynamoDbLocal.class.getResourceAsStream(NATIVES_RESOURCE_DIR + library)) {
					if (in != null) {
						Path target = directory.resolve(library);
						Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
						target.toFile().deleteOnExit();
						extracted++;
					}
				}
			}
			if (extracted == 0) {
				throw new IllegalStateException("No sqlite4java native library found under " + NATIVES_RESOURCE_DIR
						+ ": build dynamodb-cache-test-support with Maven (it copies them from Maven Central), "
						+ "or set -Dsqlite4java.library.path to a directory holding them");
			}
			System.setProperty("sqlite4java.library.path", directory.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract the sqlite4java native libraries", ex);
		}
	}

	@Override
	public String toString() {
		return "DynamoDbLocal[" + endpoint() + (this.running ? "" : ", stopped") + "]";
	}

}
