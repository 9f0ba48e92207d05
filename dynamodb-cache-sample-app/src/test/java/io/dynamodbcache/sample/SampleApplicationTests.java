package io.dynamodbcache.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dynamodb.cache.table-name=sample-app-tests", "sample.lookup-millis=300",
				"dynamodb.cache.caches.quotes.time-to-live=1s", "sample.rate-limit.requests=5" })
class SampleApplicationTests {

	private static final JsonMapper JSON = new JsonMapper();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void secondBookLookupIsACacheHit() throws Exception {
		Map<String, Object> first = call("GET", "/books/isbn-hit", 200);
		Map<String, Object> second = call("GET", "/books/isbn-hit", 200);

		assertThat(first).containsEntry("cacheHit", false);
		assertThat(((Number) first.get("millis")).longValue()).isGreaterThanOrEqualTo(300);
		assertThat(second).containsEntry("cacheHit", true).containsEntry("value", first.get("value"));
	}

	@Test
	void putReplacesAndEvictRemovesCachedBooks() throws Exception {
		call("GET", "/books/isbn-put", 200);
		call("PUT", "/books/isbn-put?title=Renamed", 200);
		Map<String, Object> afterPut = call("GET", "/books/isbn-put", 200);
		assertThat(afterPut).containsEntry("cacheHit", true);
		assertThat(afterPut.get("value")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("title", "Renamed");

		call("DELETE", "/books/isbn-put", 200);
		assertThat(call("GET", "/books/isbn-put", 200)).containsEntry("cacheHit", false);

		call("GET", "/books/isbn-other", 200);
		call("DELETE", "/books", 200);
		assertThat(call("GET", "/books/isbn-put", 200)).containsEntry("cacheHit", false);
		assertThat(call("GET", "/books/isbn-other", 200)).containsEntry("cacheHit", false);
	}

	@Test
	void quotesExpireAfterTheirShortTimeToLive() throws Exception {
		call("GET", "/quotes/ACME", 200);
		assertThat(call("GET", "/quotes/ACME", 200)).containsEntry("cacheHit", true);

		Thread.sleep(1100);

		assertThat(call("GET", "/quotes/ACME", 200)).containsEntry("cacheHit", false);
	}

	@Test
	void concurrentReportRequestsLoadOnce() throws Exception {
		Map<String, Object> result = call("GET", "/reports/q4/stampede?callers=16", 200);

		assertThat(result).containsEntry("callers", 16).containsEntry("loads", 1).containsEntry("cacheHits", 15);
	}

	@Test
	void sessionsAreStoredReadAndDeleted() throws Exception {
		Map<String, Object> session = call("POST", "/sessions?user=alice", 201);
		String token = (String) session.get("token");

		assertThat(call("GET", "/sessions/" + token, 200)).containsEntry("user", "alice");
		assertThat(call("DELETE", "/sessions/" + token, 200)).containsEntry("deleted", true);
		call("GET", "/sessions/" + token, 404);
	}

	@Test
	void rateLimitCountsConcurrentCallsExactly() throws Exception {
		List<CompletableFuture<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			calls.add(CompletableFuture.supplyAsync(() -> status("POST", "/api/limited?client=burst")));
		}
		List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();

		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(5);
		assertThat(statuses).filteredOn((status) -> status == 429).hasSize(7);
	}

	@Test
	void homePageListsCachesWithStatisticsAndActuatorIsUp() throws Exception {
		call("GET", "/books/isbn-home", 200);
		call("GET", "/books/isbn-home", 200);

		HttpResponse<String> home = this.http.send(request("GET", "/"), HttpResponse.BodyHandlers.ofString());
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("<td>books</td>", "<th>hits</th>");
		Map<String, Object> health = call("GET", "/actuator/health", 200);
		assertThat(health).containsEntry("status", "UP");
		assertThat(JSON.writeValueAsString(health)).contains("\"dynamodbCache\"");
		Map<String, Object> gets = call("GET", "/actuator/metrics/cache.gets?tag=cache:books&tag=result:hit", 200);
		assertThat(JSON.writeValueAsString(gets.get("measurements"))).doesNotContain("\"value\":0.0");
	}

	private Map<String, Object> call(String method, String path, int expectedStatus) throws Exception {
		HttpResponse<String> response = this.http.send(request(method, path), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expectedStatus);
		@SuppressWarnings("unchecked")
		Map<String, Object> body = JSON.readValue(response.body(), Map.class);
		return body;
	}

	private int status(String method, String path) {
		try {
			return this.http.send(request(method, path), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest request(String method, String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
	}

}
