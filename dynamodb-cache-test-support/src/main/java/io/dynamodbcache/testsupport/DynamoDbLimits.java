package io.dynamodbcache.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A model of the limits that DynamoDB enforces and DynamoDB Local does not, applied by a {@link FaultProxy}
 * to the requests passing through it ({@link FaultProxy#enforce}), answered with DynamoDB's own errors:
 * <ul>
 * <li><b>Throughput per partition</b>: "each partition is limited to 3,000 read units per second and 1,000
 * write units per second" (Amazon DynamoDB Developer Guide, "Best practices for designing and using
 * partition keys effectively" and "Throttling: key range throughput exceeded"), for on-demand and
 * provisioned tables alike. A request beyond it is answered with {@code ThrottlingException} (HTTP 400)
 * whose {@code throttlingReasons} name {@code TableReadKeyRangeThroughputExceeded} or
 * {@code TableWriteKeyRangeThroughputExceeded} (API reference, {@code ThrottlingReason}). The model applies
 * the limit to each partition key value, with a token bucket holding one second of capacity (DynamoDB's
 * burst capacity is best effort and "can't alleviate partition-level throttling", so none is modelled). A
 * read costs one read unit strongly consistent and half eventually consistent (items up to 4 KB are
 * assumed: a Query that returns many items costs more in DynamoDB than here); a write costs one write unit
 * per started KB of the request body. A batch request is refused only when every partition it touches is
 * over its limit (DynamoDB would return the others' keys as unprocessed).</li>
 * <li><b>Readers per stream shard</b>: "no more than two processes at most should be reading from the same
 * streams shard at the same time; having more than two readers per shard can result in throttling"
 * (Developer Guide, "DynamoDB Streams"); DynamoDB Streams answers {@code LimitExceededException}. A
 * process counts as reading a shard from its first GetRecords on it until it has sent none for
 * {@link Builder#readerWindow the reader window} (default 5 s). Processes are told apart by the client
 * header {@value FaultProxy#PROCESS_HEADER} ({@link FaultProxy#newStreamsClient(String)}), else by
 * connection.</li>
 * </ul>
 * The limits can be scaled down ({@link Builder#scale}) so that a test machine can reach them. It counts
 * what it throttled, by operation and reason, and what each partition consumed. It knows the key attribute
 * of this library's table layout ({@code pk}) and DynamoDB Local's shard iterators.
 */
public final class DynamoDbLimits {

	/** DynamoDB's read units per second and partition. */
	public static final double PARTITION_READ_UNITS = 3_000;

	/** DynamoDB's write units per second and partition. */
	public static final double PARTITION_WRITE_UNITS = 1_000;

	/** The most processes that may read one stream shard at a time. */
	public static final int READERS_PER_SHARD = 2;

	/** Reason counted for refused GetRecords requests. */
	public static final String READERS_PER_SHARD_EXCEEDED = "ReadersPerShardExceeded";

	/** Reason counted for refused reads. */
	public static final String READ_KEY_RANGE_EXCEEDED = "TableReadKeyRangeThroughputExceeded";

	/** Reason counted for refused writes. */
	public static final String WRITE_KEY_RANGE_EXCEEDED = "TableWriteKeyRangeThroughputExceeded";

	private final double readUnits;

	private final double writeUnits;

	private final long readerWindowNanos;

	private final String partitionKey;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Map<String, Map<Object, Long>> shardReaders = new HashMap<>();

	private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();

	private volatile int mostReaders;

	private final Map<String, LongAdder> admitted = new ConcurrentHashMap<>();

	private final Map<String, DoubleAdder> consumedReads = new ConcurrentHashMap<>();

	private DynamoDbLimits(Builder builder) {
		this.readUnits = PARTITION_READ_UNITS * builder.scale;
		this.writeUnits = PARTITION_WRITE_UNITS * builder.scale;
		this.readerWindowNanos = builder.readerWindow.toNanos();
		this.partitionKey = builder.partitionKey;
	}

	/**
	 * DynamoDB's limits, unscaled.
	 * @return the model
	 */
	public static DynamoDbLimits documented() {
		return builder().build();
	}

	/**
	 * Start building a model.
	 * @return a builder with DynamoDB's documented limits
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the read units per second one partition may consume in this model.
	 * @return the limit, after scaling
	 */
	public double partitionReadUnits() {
		return this.readUnits;
	}

	/**
	 * Return how many requests were refused, by {@code operation/reason}, such as
	 * {@code GetItem/TableReadKeyRangeThroughputExceeded}.
	 * @return the counts, sorted by key
	 */
	public Map<String, Long> throttled() {
		Map<String, Long> counts = new TreeMap<>();
		this.throttled.forEach((key, count) -> counts.put(key, count.sum()));
		return counts;
	}

	/**
	 * Return how many requests of an operation were refused, whatever the reason.
	 * @param operation the operation, such as {@code GetRecords}
	 * @return the count
	 */
	public long throttled(String operation) {
		return throttled().entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(operation + "/"))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/**
	 * Return how many requests of an operation the model let through.
	 * @param operation the operation, such as {@code GetItem}
	 * @return the count
	 */
	public long admitted(String operation) {
		LongAdder count = this.admitted.get(operation);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * Return the read units the requests let through consumed on one partition key value.
	 * @param partitionKeyValue the value, such as {@code books#3}
	 * @return the read units
	 */
	public double consumedReadUnits(String partitionKeyValue) {
		DoubleAdder consumed = this.consumedReads.get(partitionKeyValue);
		return (consumed != null) ? consumed.sum() : 0;
	}

	/**
	 * Return the most processes that read one stream shard at a time, as the model counts them, among the
	 * requests it let through.
	 * @return the most readers of a shard seen at once
	 */
	public int mostReadersPerShard() {
		return this.mostReaders;
	}

	/** Forget every count and every bucket's state. */
	public synchronized void reset() {
		this.mostReaders = 0;
		this.buckets.clear();
		this.shardReaders.clear();
		this.throttled.clear();
		this.admitted.clear();
		this.consumedReads.clear();
	}

	/**
	 * Decide on one HTTP request.
	 * @param request the request's head and body
	 * @param connection the connection it came on, which tells processes apart when no header does
	 * @return the whole HTTP response refusing it, or {@code null} to let it through
	 */
	byte[] admit(byte[] request, Object connection) {
		String text = new String(request, StandardCharsets.UTF_8);
		int bodyStart = text.indexOf("\r\n\r\n");
		String head = (bodyStart >= 0) ? text.substring(0, bodyStart) : text;
		String body = (bodyStart >= 0) ? text.substring(bodyStart + 4) : "";
		String target = header(head, "x-amz-target");
		if (target == null) {
			return null;
		}
		String operation = target.substring(target.indexOf('.') + 1);
		byte[] refusal = switch (operation) {
			case "GetRecords" -> readShard(operation, body, process(head, connection));
			case "GetItem", "Query" -> read(operation, body, partitionKeys(body, operation.equals("Query")));
			case "BatchGetItem" -> read(operation, body, partitionKeys(body, false));
			case "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem" ->
				write(operation, body, partitionKeys(body, false));
			default -> null;
		};
		if (refusal == null) {
			this.admitted.computeIfAbsent(operation, (name) -> new LongAdder()).increment();
		}
		return refusal;
	}

	private byte[] read(String operation, String body, List<String> partitions) {
		double unit = body.contains("\"ConsistentRead\":true") ? 1.0 : 0.5;
		if (!take(partitions, unit, true)) {
			return refuse(operation, READ_KEY_RANGE_EXCEEDED, throttling(READ_KEY_RANGE_EXCEEDED));
		}
		for (String partition : partitions) {
			this.consumedReads.computeIfAbsent(partition, (key) -> new DoubleAdder()).add(unit);
		}
		return null;
	}

	private byte[] write(String operation, String body, List<String> partitions) {
		int bytes = body.getBytes(StandardCharsets.UTF_8).length;
		double unit = Math.max(1, Math.ceil(bytes / 1024.0 / Math.max(1, partitions.size())));
		if (!take(partitions, unit, false)) {
			return refuse(operation, WRITE_KEY_RANGE_EXCEEDED, throttling(WRITE_KEY_RANGE_EXCEEDED));
		}
		return null;
	}

	/** Take the units from each partition's bucket; refused only if every partition is over its limit. */
	private boolean take(List<String> partitions, double unit, boolean read) {
		if (partitions.isEmpty()) {
			return true;
		}
		boolean anyTaken = false;
		for (String partition : partitions) {
			Bucket bucket = this.buckets.computeIfAbsent((read ? "r:" : "w:") + partition,
					(key) -> new Bucket(read ? this.readUnits : this.writeUnits));
			anyTaken |= bucket.take(unit);
		}
		return anyTaken;
	}

	private synchronized byte[] readShard(String operation, String body, Object process) {
		String iterator = firstString(body, "\"ShardIterator\":\"");
		if (iterator == null) {
			return null;
		}
		String shard = shardOf(iterator);
		long now = System.nanoTime();
		Map<Object, Long> readers = this.shardReaders.computeIfAbsent(shard, (key) -> new HashMap<>());
		readers.values().removeIf((lastRead) -> now - lastRead > this.readerWindowNanos);
		if (!readers.containsKey(process) && readers.size() >= READERS_PER_SHARD) {
			return refuse(operation, READERS_PER_SHARD_EXCEEDED, error("com.amazonaws.dynamodb.v20120810#LimitExceededException",
					"More than 2 processes are reading from the same streams shard at the same time.", ""));
		}
		readers.put(process, now);
		this.mostReaders = Math.max(this.mostReaders, readers.size());
		return null;
	}

	private byte[] refuse(String operation, String reason, byte[] response) {
		this.throttled.computeIfAbsent(operation + "/" + reason, (key) -> new LongAdder()).increment();
		return response;
	}

	private static byte[] throttling(String reason) {
		return error("com.amazonaws.dynamodb.v20120810#ThrottlingException",
				"Throughput exceeds the current throughput limit for the key range of this table.",
				",\"throttlingReasons\":[{\"reason\":\"" + reason
						+ "\",\"resource\":\"arn:aws:dynamodb:ddblocal:000000000000:table/model\"}]");
	}

	private static byte[] error(String type, String message, String extra) {
		byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"" + extra + "}")
			.getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\n"
				+ "x-amzn-RequestId: LIMITS" + System.nanoTime() + "\r\nContent-Length: " + body.length + "\r\n\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
		byte[] response = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, response, 0, headBytes.length);
		System.arraycopy(body, 0, response, headBytes.length, body.length);
		return response;
	}

	/** The partition key values a request names: in keys and items, or for a Query in its {@code :pk} value. */
	private List<String> partitionKeys(String body, boolean query) {
		List<String> values = strings(body, "\"" + this.partitionKey + "\":{\"S\":\"");
		if (values.isEmpty() && query) {
			values = strings(body, "\":pk\":{\"S\":\"");
		}
		return values;
	}

	/** DynamoDB Local's shard iterators are {@code streamArn|001|base64(shardId|...)}. */
	static String shardOf(String iterator) {
		String[] parts = iterator.split("\\|");
		if (parts.length >= 3) {
			try {
				String decoded = new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8);
				return parts[0] + "/" + decoded.substring(0, Math.max(0, decoded.indexOf('|')));
			}
			catch (IllegalArgumentException ex) {
				// not DynamoDB Local's form
			}
		}
		return parts[0];
	}

	private static Object process(String head, Object connection) {
		String process = header(head, FaultProxy.PROCESS_HEADER);
		return (process != null) ? process : connection;
	}

	private static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	private static String firstString(String body, String prefix) {
		List<String> values = strings(body, prefix);
		return values.isEmpty() ? null : values.get(0);
	}

	/** Every JSON string that follows the prefix, unescaped. */
	static List<String> strings(String body, String prefix) {
		List<String> values = new ArrayList<>();
		int at = body.indexOf(prefix);
		while (at >= 0) {
			StringBuilder value = new StringBuilder();
			int i = at + prefix.length();
			while (i < body.length() && body.charAt(i) != '"') {
				char c = body.charAt(i);
				if (c == '\\' && i + 1 < body.length()) {
					char escaped = body.charAt(++i);
					if (escaped == 'u' && i + 4 < body.length()) {
						value.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
						i += 4;
					}
					else {
						value.append(switch (escaped) {
							case 'n' -> '\n';
							case 't' -> '\t';
							case 'r' -> '\r';
							case 'b' -> '\b';
							case 'f' -> '\f';
							default -> escaped;
						});
					}
				}
				else {
					value.append(c);
				}
				i++;
			}
			values.add(value.toString());
			at = body.indexOf(prefix, i);
		}
		return values;
	}

	/** Capacity of one partition: one second's units, refilled continuously. */
	private static final class Bucket {

		private final double perSecond;

		private double tokens;

		private long refilledAt = System.nanoTime();

		Bucket(double perSecond) {
			this.perSecond = perSecond;
			this.tokens = perSecond;
		}

		synchronized boolean take(double units) {
			long now = System.nanoTime();
			this.tokens = Math.min(this.perSecond, this.tokens + (now - this.refilledAt) / 1e9 * this.perSecond);
			this.refilledAt = now;
			if (this.tokens < units) {
				return false;
			}
			this.tokens -= units;
			return true;
		}

	}

	/** Builds a {@link DynamoDbLimits}. */
	public static final class Builder {

		private double scale = 1;

		private Duration readerWindow = Duration.ofSeconds(5);

		private String partitionKey = "pk";

		private Builder() {
		}

		/**
		 * Scale the per-partition throughput limits, so that a test reaches them with fewer requests.
		 * @param scale the factor, such as 0.01 for 30 read units per second and partition
		 * @return this builder
		 */
		public Builder scale(double scale) {
			if (!(scale > 0)) {
				throw new IllegalArgumentException("Scale must be positive, got " + scale);
			}
			this.scale = scale;
			return this;
		}

		/**
		 * Set how long a process counts as reading a stream shard after its last GetRecords on it.
		 * @param readerWindow the window
		 * @return this builder
		 */
		public Builder readerWindow(Duration readerWindow) {
			this.readerWindow = readerWindow;
			return this;
		}

		/**
		 * Set the name of the table's partition key attribute.
		 * @param partitionKey the attribute name, {@code pk} by default
		 * @return this builder
		 */
		public Builder partitionKey(String partitionKey) {
			this.partitionKey = partitionKey;
			return this;
		}

		/**
		 * Build the model.
		 * @return the model
		 */
		public DynamoDbLimits build() {
			return new DynamoDbLimits(this);
		}

	}

}
