package io.dynamodbcache.spring.autoconfigure;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * The rules of {@code dynamodb.cache.*}. A rule about one value runs in its setter, so that a bad value fails
 * startup while Boot binds it, with Boot's own report: the property as written (kebab case, with the cache's
 * name for per-cache settings), the value as written and where it was set, then the rule as the reason, on
 * both Boot generations. A rule about two values runs when Boot validates the bound properties, and its
 * message names both properties and their values.
 */
final class PropertiesValidation {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

	private PropertiesValidation() {
	}

	static String tableName(String tableName) {
		if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
			throw new IllegalArgumentException(
					"must be 3 to 255 characters of A-Z a-z 0-9 _ . - (a DynamoDB table name)");
		}
		return tableName;
	}

	static int between(int value, int min, int max) {
		if (value < min || value > max) {
			throw new IllegalArgumentException("must be between " + min + " and " + max);
		}
		return value;
	}

	static int atLeast(int value, int min) {
		return (int) atLeast((long) value, min);
	}

	static long atLeast(long value, long min) {
		if (value < min) {
			throw new IllegalArgumentException("must be at least " + min);
		}
		return value;
	}

	/** A time-to-live or time-to-idle: zero means no expiry. */
	static @Nullable Duration expiry(@Nullable Duration duration) {
		if (duration != null && duration.isNegative()) {
			throw new IllegalArgumentException("must not be negative (zero means no expiry)");
		}
		return duration;
	}

	static @Nullable Duration positiveOrUnset(@Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new IllegalArgumentException("must be positive");
		}
		return duration;
	}

	static Duration positive(@Nullable Duration duration) {
		if (duration == null) {
			throw new IllegalArgumentException("must be set");
		}
		return positiveOrUnset(duration);
	}

	static Duration notNegative(@Nullable Duration duration, String zeroMeans) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("must not be negative (" + zeroMeans + ")");
		}
		return duration;
	}

	static Duration between(@Nullable Duration duration, Duration min, Duration max) {
		if (duration == null || duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
			throw new IllegalArgumentException("must be between " + text(min) + " and " + text(max));
		}
		return duration;
	}

	static DataSize notNegative(@Nullable DataSize size) {
		if (size == null || size.isNegative()) {
			throw new IllegalArgumentException("must not be negative");
		}
		return size;
	}

	static DataSize between(@Nullable DataSize size, DataSize min, DataSize max) {
		if (size == null || size.toBytes() < min.toBytes() || size.toBytes() > max.toBytes()) {
			throw new IllegalArgumentException("must be between " + min.toKilobytes() + "KB and "
					+ max.toGigabytes() + "GB");
		}
		return size;
	}

	static float percentage(float value) {
		if (!(value > 0 && value <= 100)) {
			throw new IllegalArgumentException("must be a percentage above 0 and at most 100");
		}
		return value;
	}

	/** The rules about two values at once, after every value passed its own. */
	static void validate(DynamoDbCacheProperties properties, Errors errors) {
		DynamoDbCacheProperties.Request request = properties.getRequest();
		if (request.getAttemptTimeout().compareTo(request.getApiCallTimeout()) > 0) {
			errors.reject("invalid",
					"dynamodb.cache.request.attempt-timeout (" + text(request.getAttemptTimeout())
							+ ") must not exceed dynamodb.cache.request.api-call-timeout ("
							+ text(request.getApiCallTimeout()) + ")");
		}
		else {
			// The core's own rules, in case they grow beyond what the setters check.
			check(errors, request::toBudget);
		}
		check(errors, () -> properties.getCircuitBreaker().toConfig());
		check(errors, () -> properties.getNearCache().toSettings());
	}

	private static void check(Errors errors, Runnable conversion) {
		try {
			conversion.run();
		}
		catch (IllegalStateException ex) {
			errors.reject("invalid", ex.getMessage());
		}
	}

	/** A duration in the shortest form Boot reads back (250ms, 5s, 1m). */
	static String text(Duration duration) {
		if (duration.toMillis() % 60_000 == 0 && !duration.isZero()) {
			return duration.toMinutes() + "m";
		}
		if (duration.toMillis() % 1_000 == 0) {
			return duration.toSeconds() + "s";
		}
		return duration.toMillis() + "ms";
	}

}
