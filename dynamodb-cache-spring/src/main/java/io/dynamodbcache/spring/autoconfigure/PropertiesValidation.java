package io.dynamodbcache.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.RequestBudget;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * The rules of {@code dynamodb.cache.*}, checked when Boot binds the properties, so that a bad value fails
 * startup with Boot's report that names the property, its value and where it was set, on both Boot
 * generations (a self-validating properties class needs no Bean Validation provider). Where the core owns a
 * rule (the request budget, the near cache's bounds, the circuit breaker's settings), the check runs the
 * core's own and reports its message.
 */
final class PropertiesValidation {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

	private PropertiesValidation() {
	}

	static void validate(DynamoDbCacheProperties properties, Errors errors) {
		if (!TABLE_NAME.matcher(properties.getTableName()).matches()) {
			errors.rejectValue("tableName", "invalid",
					"must be 3 to 255 characters of A-Z a-z 0-9 _ . - (a DynamoDB table name)");
		}
		if (properties.getShards() < 1 || properties.getShards() > 1024) {
			errors.rejectValue("shards", "range", "must be between 1 and 1024");
		}
		notNegative(errors, "timeToLive", properties.getTimeToLive());
		notNegative(errors, "timeToIdle", properties.getTimeToIdle());
		positive(errors, "loadLease", properties.getLoadLease());
		if (properties.getCompressionThreshold().isNegative()) {
			errors.rejectValue("compressionThreshold", "range", "must not be negative");
		}
		DataSize maxValueSize = properties.getMaxValueSize();
		if (maxValueSize.toBytes() < 1024 || maxValueSize.toBytes() > Integer.MAX_VALUE) {
			errors.rejectValue("maxValueSize", "range", "must be between 1KB and 2GB");
		}
		for (Map.Entry<String, DynamoDbCacheProperties.CacheSpec> cache : properties.getCaches().entrySet()) {
			String path = "caches[" + cache.getKey() + "].";
			notNegative(errors, path + "timeToLive", cache.getValue().getTimeToLive());
			notNegative(errors, path + "timeToIdle", cache.getValue().getTimeToIdle());
			positive(errors, path + "loadLease", cache.getValue().getLoadLease());
		}
		if (properties.getCloseTimeout() == null || properties.getCloseTimeout().isNegative()) {
			errors.rejectValue("closeTimeout", "range", "must not be negative (zero stops at once)");
		}
		validateRequest(properties.getRequest(), errors);
		validateNearCache(properties.getNearCache(), errors);
		try {
			properties.getCircuitBreaker().toConfig();
		}
		catch (IllegalStateException ex) {
			errors.rejectValue("circuitBreaker", "invalid", ex.getMessage());
		}
	}

	private static void validateRequest(DynamoDbCacheProperties.Request request, Errors errors) {
		positive(errors, "request.attemptTimeout", request.getAttemptTimeout());
		positive(errors, "request.apiCallTimeout", request.getApiCallTimeout());
		if (request.getApiCallTimeout().compareTo(RequestBudget.MAX_API_CALL_TIMEOUT) > 0) {
			errors.rejectValue("request.apiCallTimeout", "range",
					"must be at most " + RequestBudget.MAX_API_CALL_TIMEOUT.toSeconds() + "s");
		}
		if (request.getMaxAttempts() < 1 || request.getMaxAttempts() > 10) {
			errors.rejectValue("request.maxAttempts", "range", "must be between 1 and 10");
		}
		if (!errors.hasFieldErrors("request.*")) {
			try {
				request.toBudget();
			}
			catch (IllegalStateException ex) {
				errors.rejectValue("request.attemptTimeout", "invalid", ex.getMessage());
			}
		}
	}

	private static void validateNearCache(DynamoDbCacheProperties.NearCache nearCache, Errors errors) {
		try {
			new NearCacheSettings(nearCache.getMaximumSize(), nearCache.getTimeToLive());
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue((nearCache.getMaximumSize() < 1) ? "nearCache.maximumSize" : "nearCache.timeToLive",
					"invalid", ex.getMessage());
		}
		Duration poll = nearCache.getStreamPollInterval();
		if (poll.compareTo(Duration.ofMillis(50)) < 0 || poll.compareTo(Duration.ofMinutes(1)) > 0) {
			errors.rejectValue("nearCache.streamPollInterval", "range", "must be between 50ms and 1m");
		}
	}

	private static void notNegative(Errors errors, String field, @Nullable Duration duration) {
		if (duration != null && duration.isNegative()) {
			errors.rejectValue(field, "range", "must not be negative (zero means no expiry)");
		}
	}

	private static void positive(Errors errors, String field, @Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			errors.rejectValue(field, "range", "must be positive");
		}
	}

}
