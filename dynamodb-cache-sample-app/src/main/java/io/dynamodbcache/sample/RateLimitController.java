package io.dynamodbcache.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.dynamodbcache.core.DynamoDbCacheStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fixed-window API rate limit kept in DynamoDB. Each request is one atomic increment (a conditional
 * UpdateItem), so the count stays exact with any number of concurrent requests and application nodes,
 * unlike a read-then-write of a cached number.
 */
@RestController
class RateLimitController {

	private static final String CACHE = "rate-limits";

	private final DynamoDbCacheStore store;

	private final int limit;

	private final Duration window;

	RateLimitController(DynamoDbCacheStore store, @Value("${sample.rate-limit.requests:10}") int limit,
			@Value("${sample.rate-limit.window:60s}") Duration window) {
		this.store = store;
		this.limit = limit;
		this.window = window;
	}

	@PostMapping("/api/limited")
	ResponseEntity<Map<String, Object>> call(@RequestParam String client) {
		long windowStart = Instant.now().toEpochMilli() / this.window.toMillis();
		long count = this.store.increment(CACHE, client + ":" + windowStart, 1, this.window);
		boolean allowed = count <= this.limit;
		Map<String, Object> body = Map.of("client", client, "count", count, "limit", this.limit, "allowed", allowed);
		return ResponseEntity.status(allowed ? HttpStatus.OK : HttpStatus.TOO_MANY_REQUESTS).body(body);
	}

}
