package io.dynamodbcache.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A TCP proxy on the loopback interface, in front of DynamoDB (Local), that injects faults into the HTTP
 * requests passing through it: added latency, dropped connections, a black hole that accepts requests and
 * never answers, and throttling answered with DynamoDB's own error body. Point a client at
 * {@link #endpoint()}; switch faults at any time. It understands just enough HTTP/1.1 to tell requests
 * apart on a kept-alive connection.
 *
 * <pre class="code">
 * try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint())) {
 *     DynamoDbClient client = proxy.newClient();
 *     proxy.blackHole();
 *     ...
 *     proxy.passThrough();
 * }
 * </pre>
 */
public final class FaultProxy implements AutoCloseable {

	private static final String THROTTLING_BODY = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
			+ "ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput "
			+ "for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.\"}";

	/**
	 * The request header that names the process a client stands for, which {@link DynamoDbLimits} counts
	 * stream readers by.
	 */
	public static final String PROCESS_HEADER = "x-fault-proxy-process";

	private final InetSocketAddress target;

	private volatile DynamoDbLimits limits;

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "fault-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicLong requests = new AtomicLong();

	private volatile Fault fault = new Fault(Mode.PASS_THROUGH, Duration.ZERO, 0, null);

	private volatile boolean closed;

	private FaultProxy(URI target) throws IOException {
		this.target = new InetSocketAddress(target.getHost(), target.getPort());
		this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
		this.threads.execute(this::acceptLoop);
	}

	/**
	 * Start a proxy that passes everything through to the target until told otherwise.
	 * @param target the endpoint to proxy, such as {@link DynamoDbLocal#endpoint()}
	 * @return the running proxy
	 */
	public static FaultProxy start(URI target) {
		try {
			return new FaultProxy(target);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the fault proxy", ex);
		}
	}

	/**
	 * Return the endpoint clients should use.
	 * @return the proxy's loopback endpoint
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getLocalPort());
	}

	/**
	 * Create a plain SDK client (default settings, as an application might build one) that sends its
	 * requests through this proxy to DynamoDB Local. The caller closes it.
	 * @return a new client
	 */
	public DynamoDbClient newClient() {
		return DynamoDbLocal.clientOf(DynamoDbClient.builder(), endpoint());
	}

	/**
	 * Create a DynamoDB Streams client that sends its requests through this proxy to DynamoDB Local. The
	 * caller closes it.
	 * @return a new client
	 */
	public DynamoDbStreamsClient newStreamsClient() {
		return DynamoDbLocal.clientOf(DynamoDbStreamsClient.builder(), endpoint());
	}

	/**
	 * Create a DynamoDB client as {@link #newClient()} does, whose requests name the process it stands for.
	 * @param process the process's name, such as {@code node-7}
	 * @return a new client
	 */
	public DynamoDbClient newClient(String process) {
		return DynamoDbLocal.clientOf(DynamoDbClient.builder()
			.overrideConfiguration((configuration) -> configuration.putHeader(PROCESS_HEADER, process)), endpoint());
	}

	/**
	 * Create a DynamoDB Streams client as {@link #newStreamsClient()} does, whose requests name the process
	 * it stands for, so that {@link DynamoDbLimits} counts its stream readers by process.
	 * @param process the process's name, such as {@code node-7}
	 * @return a new client
	 */
	public DynamoDbStreamsClient newStreamsClient(String process) {
		return DynamoDbLocal.clientOf(DynamoDbStreamsClient.builder()
			.overrideConfiguration((configuration) -> configuration.putHeader(PROCESS_HEADER, process)), endpoint());
	}

	/**
	 * Apply DynamoDB's documented limits to the requests that the current fault lets through, from now on.
	 * @param limits the model of the limits, or {@code null} to stop applying them
	 */
	public void enforce(DynamoDbLimits limits) {
		this.limits = limits;
	}

	/**
	 * Return the number of HTTP requests that reached the proxy, whatever happened to them.
	 * @return the request count
	 */
	public long requests() {
		return this.requests.get();
	}

	/** Forward every request as it is. */
	public void passThrough() {
		this.fault = new Fault(Mode.PASS_THROUGH, Duration.ZERO, 0, null);
	}

	/**
	 * Forward every request after a delay.
	 * @param latency the delay
	 */
	public void delay(Duration latency) {
		this.fault = new Fault(Mode.PASS_THROUGH, latency, 0, null);
	}

	/** Reset the connection of every request, and of the connections that are open now. */
	public void dropConnections() {
		this.fault = new Fault(Mode.DROP, Duration.ZERO, 0, null);
		this.sockets.forEach(FaultProxy::reset);
	}

	/** Accept requests and never answer them, as a network that loses every packet back. */
	public void blackHole() {
		this.fault = new Fault(Mode.BLACK_HOLE, Duration.ZERO, 0, null);
	}

	/**
	 * Answer a share of requests with DynamoDB's throttling error (HTTP 400,
	 * {@code ProvisionedThroughputExceededException}), forwarding the rest.
	 * @param fraction the share, from 0 to 1 (1 throttles every request)
	 */
	public void throttle(double fraction) {
		this.fault = new Fault(Mode.THROTTLE, Duration.ZERO, fraction, null);
	}

	/**
	 * Answer every request whose body contains the text with DynamoDB's throttling error, forwarding the
	 * rest, as DynamoDB throttles the requests of one hot partition and not the table: give it a partition
	 * key value, such as {@code "books#3"}.
	 * @param text what a throttled request's body contains
	 */
	public void throttleRequestsContaining(String text) {
		this.fault = new Fault(Mode.THROTTLE, Duration.ZERO, 1, text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.sockets.forEach(FaultProxy::reset);
		this.threads.shutdownNow();
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				this.threads.execute(() -> serve(client));
			}
			catch (IOException ex) {
				if (!this.closed) {
					pause(10);
				}
			}
		}
	}

	private void serve(Socket client) {
		Socket upstream = null;
		try {
			InputStream in = new BufferedInputStream(client.getInputStream());
			OutputStream out = client.getOutputStream();
			while (!this.closed) {
				byte[] request = readRequest(in);
				if (request == null) {
					return;
				}
				this.requests.incrementAndGet();
				Fault current = this.fault;
				switch (current.mode()) {
					case DROP -> {
						reset(client);
						return;
					}
					case BLACK_HOLE -> {
						// Swallow whatever else comes until the client gives up and closes.
						in.transferTo(OutputStream.nullOutputStream());
						return;
					}
					case THROTTLE -> {
						if (current.throttles(request)) {
							writeThrottling(out);
							continue;
						}
					}
					default -> {
						if (!current.latency().isZero()) {
							pause(current.latency().toMillis());
						}
					}
				}
				DynamoDbLimits model = this.limits;
				byte[] refusal = (model != null) ? model.admit(request, client) : null;
				if (refusal != null) {
					out.write(refusal);
					out.flush();
					continue;
				}
				if (upstream == null) {
					upstream = connectUpstream(client);
				}
				upstream.getOutputStream().write(request);
				upstream.getOutputStream().flush();
			}
		}
		catch (IOException ex) {
			// The client or DynamoDB went away: so does this connection.
		}
		finally {
			close(client);
			if (upstream != null) {
				close(upstream);
			}
		}
	}

	private Socket connectUpstream(Socket client) throws IOException {
		Socket upstream = new Socket();
		upstream.connect(this.target, 5000);
		this.sockets.add(upstream);
		this.threads.execute(() -> {
			try {
				upstream.getInputStream().transferTo(client.getOutputStream());
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				close(client);
				close(upstream);
			}
		});
		return upstream;
	}

	/** Read one HTTP request (head and Content-Length body) as bytes, or {@code null} at the end of input. */
	private static byte[] readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
		int matched = 0;
		while (matched < 4) {
			int next = in.read();
			if (next < 0) {
				return null;
			}
			head.write(next);
			matched = (next == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		int length = contentLength(head.toString(StandardCharsets.ISO_8859_1));
		byte[] body = in.readNBytes(length);
		if (body.length < length) {
			return null;
		}
		head.write(body);
		return head.toByteArray();
	}

	private static int contentLength(String head) throws IOException {
		for (String line : head.split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				return Integer.parseInt(line.substring("content-length:".length()).trim());
			}
			if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				throw new IOException("Chunked requests are not supported by the fault proxy");
			}
		}
		return 0;
	}

	private static void writeThrottling(OutputStream out) throws IOException {
		byte[] body = THROTTLING_BODY.getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\n"
				+ "x-amzn-RequestId: FAULTPROXY" + System.nanoTime() + "\r\nContent-Length: " + body.length + "\r\n\r\n";
		out.write(head.getBytes(StandardCharsets.ISO_8859_1));
		out.write(body);
		out.flush();
	}

	private void close(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "FaultProxy[" + endpoint() + " -> " + this.target + ", " + this.fault.mode() + "]";
	}

	private enum Mode {

		PASS_THROUGH, DROP, BLACK_HOLE, THROTTLE

	}

	/** A fault; {@code match}, if not {@code null}, picks the throttled requests instead of {@code fraction}. */
	private record Fault(Mode mode, Duration latency, double fraction, byte[] match) {

		boolean throttles(byte[] request) {
			if (this.match != null) {
				return indexOf(request, this.match) >= 0;
			}
			return ThreadLocalRandom.current().nextDouble() < this.fraction;
		}

		private static int indexOf(byte[] data, byte[] part) {
			for (int i = 0; i <= data.length - part.length; i++) {
				int j = 0;
				while (j < part.length && data[i + j] == part[j]) {
					j++;
				}
				if (j == part.length) {
					return i;
				}
			}
			return -1;
		}

	}

}
