package io.dynamodbcache.lucee;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.RequestBudget;
import lucee.runtime.type.Collection;
import lucee.runtime.type.Struct;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The custom settings of a cache connection, read case-insensitively, with the aliases the original Lucee
 * DynamoDB extension accepts.
 *
 * @param connectionName the name of the cache connection
 * @param cacheName the cache's name in the table (default: the connection name)
 * @param tableName the DynamoDB table
 * @param accessKeyId static access key id, or {@code null} for the AWS default chain
 * @param secretKey static secret key, or {@code null} for the AWS default chain
 * @param region the AWS region, or {@code null} for the AWS region chain
 * @param endpoint the endpoint, or {@code null} for the region's
 * @param requestBudget the time budget of each DynamoDB request: {@code liveTimeout} (milliseconds) is the
 * timeout of a whole call, {@code attemptTimeout} (milliseconds) that of one attempt, {@code maxAttempts} the
 * attempts of a call
 * @param maxValueSize the largest encoded value in bytes ({@code maxValueSize})
 * @param logName the Lucee log to write to
 * @param consistentReads whether reads are strongly consistent
 * @param createTable whether a missing table is created
 * @param shards partitions per cache
 * @param timeToLive default time-to-live, or {@code null} for none
 * @param timeToIdle default time-to-idle, or {@code null} for none
 * @param strict whether DynamoDB failures of writes are thrown instead of logged
 * @param nearCache the bounds of the near cache ({@code nearCache}, {@code nearCacheMaxSize},
 * {@code nearCacheTimeToLiveSeconds}), or {@code null} for none
 * @param streamInvalidation whether the near cache hears of other servers' writes, relayed from the table's
 * stream through its invalidation feed ({@code streamInvalidation})
 * @param streamPollInterval the pause between two reads of the table's invalidation feed
 * ({@code streamPollInterval}, milliseconds)
 * @param closeTimeout how long releasing the connection waits at most for evictions DynamoDB has not confirmed
 * ({@code closeTimeout}, seconds; 0 releases at once)
 * @param logKeys whether log lines and error messages show keys as they are ({@code logKeys}); by default they
 * show a fingerprint, since Lucee's session storage keys hold session ids
 */
record LuceeCacheSettings(String connectionName, String cacheName, String tableName, @Nullable String accessKeyId,
		@Nullable String secretKey, @Nullable String region, @Nullable URI endpoint, RequestBudget requestBudget,
		int maxValueSize, String logName, boolean consistentReads, boolean createTable, int shards, @Nullable Duration timeToLive,
		@Nullable Duration timeToIdle, boolean strict, @Nullable NearCacheSettings nearCache,
		boolean streamInvalidation, Duration streamPollInterval, Duration closeTimeout, boolean logKeys) {

	private static final Logger logger = LoggerFactory.getLogger(LuceeCacheSettings.class);

	private static final AtomicBoolean LIFETIME_NOTICE_GIVEN = new AtomicBoolean();

	static final String DEFAULT_TABLE = "lucee-cache";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

	/**
	 * The Lucee log the connection's lines go to ({@code log}, by default {@code application}), read before
	 * the other settings so that what reading them logs reaches it too.
	 */
	static String logName(Struct arguments) {
		return new Reader(read(arguments)).text("application", "log");
	}

	private static Map<String, String> read(Struct arguments) {
		Map<String, String> settings = new HashMap<>();
		if (arguments != null) {
			for (Collection.Key key : arguments.keys()) {
				Object value = arguments.get(key, null);
				if (value != null && !value.toString().isBlank()) {
					settings.put(key.getString().toLowerCase(Locale.ROOT),
							resolvePlaceholders(key.getString(), value.toString().trim()));
				}
			}
		}
		return settings;
	}

	static LuceeCacheSettings from(String connectionName, Struct arguments) {
		Reader reader = new Reader(read(arguments));
		String accessKeyId = reader.text(null, "accessKeyId", "accessKey", "awsAccessKeyId");
		String secretKey = reader.text(null, "secretkey", "secretAccessKey", "awsSecretKey");
		if ((accessKeyId == null) != (secretKey == null)) {
			// Checked here too, to name the Lucee setting names in the message.
			throw new IllegalArgumentException("Cache [" + connectionName + "]: set both accessKeyId and secretkey, "
					+ "or neither to use the AWS default credentials (environment, profile, IAM role)");
		}
		return new LuceeCacheSettings(connectionName, reader.text(connectionName, "cacheName", "namespace"),
				reader.text(DEFAULT_TABLE, "table", "tableName"), accessKeyId, secretKey, reader.text(null, "region"),
				endpoint(reader.text(null, "host", "endpoint", "server")),
				requestBudget(reader), (int) reader.number(DynamoDbCacheStore.DEFAULT_MAX_VALUE_SIZE, "maxValueSize"),
				reader.text("application", "log"),
				reader.bool(false, "consistentRead", "consistentReads"), reader.bool(true, "createTable"),
				(int) reader.number(16, "shards"), reader.seconds("timeToLiveSeconds", "timeToLive"),
				reader.seconds("timeToIdleSeconds", "timeToIdle"), reader.bool(false, "strict"), nearCache(reader),
				reader.bool(true, "streamInvalidation"),
				reader.millis(DynamoDbCacheStoreBuilder.DEFAULT_STREAM_POLL_INTERVAL, "streamPollInterval"),
				closeTimeout(reader), reader.bool(false, "logKeys"));
	}

	private static Duration closeTimeout(Reader reader) {
		double seconds = reader.number(DynamoDbCacheStore.DEFAULT_CLOSE_TIMEOUT.toSeconds(), "closeTimeout",
				"closeTimeoutSeconds");
		if (seconds < 0) {
			throw new IllegalArgumentException("Cache setting closeTimeout must be zero or more seconds, got " + seconds);
		}
		return Duration.ofMillis((long) (seconds * 1000));
	}

	/**
	 * Replace {@code ${NAME}} and {@code ${NAME:default}} in a setting's value by the system property, else the
	 * environment variable, of that name, as Lucee's {@code configImport} does: Lucee itself replaces them only in
	 * {@code .CFConfig.json}, not in the connections of an {@code Application.cfc}.
	 * @throws IllegalArgumentException naming the setting and the placeholder when neither is set and there is
	 * no default (never a value: placeholders mostly stand for secrets)
	 */
	static String resolvePlaceholders(String setting, String value) {
		if (!value.contains("${")) {
			return value;
		}
		Matcher placeholder = PLACEHOLDER.matcher(value);
		StringBuilder resolved = new StringBuilder();
		while (placeholder.find()) {
			String name = placeholder.group(1).trim();
			String found = System.getProperty(name);
			if (found == null) {
				found = System.getenv(name);
			}
			if (found == null) {
				found = placeholder.group(2);
			}
			if (found == null) {
				throw new IllegalArgumentException("Cache setting " + setting + " refers to ${" + name + "}, which is "
						+ "neither a system property nor an environment variable: set one, or give a default as ${"
						+ name + ":default}");
			}
			placeholder.appendReplacement(resolved, Matcher.quoteReplacement(found));
		}
		placeholder.appendTail(resolved);
		return resolved.toString().trim();
	}

	private static @Nullable NearCacheSettings nearCache(Reader reader) {
		if (!reader.bool(false, "nearCache")) {
			return null;
		}
		double maximumSize = reader.number(NearCacheSettings.DEFAULT_MAXIMUM_SIZE, "nearCacheMaxSize");
		if (maximumSize < 1) {
			throw new IllegalArgumentException("Cache setting nearCacheMaxSize must be at least 1, got " + maximumSize);
		}
		Duration timeToLive = reader.seconds("nearCacheTimeToLiveSeconds", "nearCacheTimeToLive");
		return new NearCacheSettings((long) maximumSize,
				(timeToLive != null) ? timeToLive : NearCacheSettings.DEFAULT_TIME_TO_LIVE);
	}

	private static RequestBudget requestBudget(Reader reader) {
		Duration apiCall = reader.millis(RequestBudget.DEFAULT.apiCallTimeout(), "liveTimeout", "timeout");
		if (apiCall.compareTo(RequestBudget.MAX_API_CALL_TIMEOUT) > 0) {
			// The original extension's liveTimeout (3600000 in its documentation and examples) is its client's
			// lifetime, not a call's: a call that waited that long would be worthless.
			if (LIFETIME_NOTICE_GIVEN.compareAndSet(false, true)) {
				logger.info("Cache setting liveTimeout={} ms is above {} s, so it is read as the original "
						+ "extension's client lifetime, not as a call timeout: DynamoDB calls keep the default budget of "
						+ "{} ms", apiCall.toMillis(), RequestBudget.MAX_API_CALL_TIMEOUT.toSeconds(),
						RequestBudget.DEFAULT.apiCallTimeout().toMillis());
			}
			apiCall = RequestBudget.DEFAULT.apiCallTimeout();
		}
		Duration defaultAttempt = (apiCall.compareTo(RequestBudget.DEFAULT.attemptTimeout()) < 0) ? apiCall
				: RequestBudget.DEFAULT.attemptTimeout();
		return new RequestBudget(reader.millis(defaultAttempt, "attemptTimeout"), apiCall,
				(int) reader.number(RequestBudget.DEFAULT_MAX_ATTEMPTS, "maxAttempts"));
	}

	private static @Nullable URI endpoint(@Nullable String host) {
		if (host == null) {
			return null;
		}
		if (host.contains("://")) {
			return URI.create(host);
		}
		String name = host.replaceFirst(":\\d+$", "").replace("[", "").replace("]", "");
		boolean local = name.equals("localhost") || name.startsWith("127.") || name.equals("::1");
		return URI.create((local ? "http://" : "https://") + host);
	}

	@Override
	public String toString() {
		// Never print the credentials.
		return "LuceeCacheSettings[cache=" + this.cacheName + ", table=" + this.tableName + ", region=" + this.region
				+ ", endpoint=" + this.endpoint + ", credentials=" + ((this.accessKeyId != null) ? "static" : "default chain")
				+ ", " + this.requestBudget + ((this.nearCache != null) ? ", " + this.nearCache
						+ (this.streamInvalidation ? ", stream poll " + this.streamPollInterval.toMillis() + " ms"
								: ", no stream")
						: "")
				+ "]";
	}

	private record Reader(Map<String, String> settings) {

		String text(String defaultValue, String... names) {
			for (String name : names) {
				String value = this.settings.get(name.toLowerCase(Locale.ROOT));
				// The Administrator sends every field of its form; an empty one means "not set".
				if (value != null && !value.isEmpty()) {
					return value;
				}
			}
			return defaultValue;
		}

		double number(double defaultValue, String... names) {
			String value = text(null, names);
			if (value == null) {
				return defaultValue;
			}
			try {
				return Double.parseDouble(value);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Cache setting " + names[0] + " must be a number, got '" + value + "'");
			}
		}

		boolean bool(boolean defaultValue, String... names) {
			String value = text(null, names);
			if (value == null) {
				return defaultValue;
			}
			return switch (value.toLowerCase(Locale.ROOT)) {
				case "true", "yes", "1" -> true;
				case "false", "no", "0" -> false;
				default -> throw new IllegalArgumentException(
						"Cache setting " + names[0] + " must be true or false, got '" + value + "'");
			};
		}

		Duration millis(Duration defaultValue, String... names) {
			double value = number(-1, names);
			return (value > 0) ? Duration.ofMillis((long) value) : defaultValue;
		}

		Duration seconds(String... names) {
			double value = number(0, names);
			return (value > 0) ? Duration.ofMillis((long) (value * 1000)) : null;
		}

	}

}
