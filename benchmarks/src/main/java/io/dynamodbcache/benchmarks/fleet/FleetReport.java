package io.dynamodbcache.benchmarks.fleet;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.testsupport.DynamoDbLocal;

/**
 * The fleet harness: N nodes (default 100) on one table behind a model of DynamoDB's documented limits
 * ({@link io.dynamodbcache.testsupport.DynamoDbLimits}), in one JVM, on an in-process DynamoDB Local.
 * Prints one Markdown table per scenario:
 * (a) {@link InvalidationScenario}, (b) {@link ReaderFailoverScenario}, (c) {@link StampedeScenario},
 * (d) {@link HotKeyScenario}.
 * <p>
 * Not JMH: it measures delays, counts and throttles across many nodes, not a rate. Run with
 * {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.fleet.FleetReport
 * -Dbenchmark="100 90 a b c d"} (nodes, seconds, scenarios; by default 100 nodes, 60 s, every scenario).
 */
public final class FleetReport {

	private FleetReport() {
	}

	public static void main(String[] args) throws Exception {
		// Numbers are the nodes and the seconds, letters the scenarios; anything else (exec's default ".*") is
		// ignored, and arguments may come as one string.
		List<String> words = Arrays.stream(args).flatMap((arg) -> Arrays.stream(arg.trim().split("\\s+"))).toList();
		List<Integer> numbers = words.stream().filter((word) -> word.matches("\\d+")).map(Integer::valueOf).toList();
		List<String> chosen = words.stream().filter((word) -> word.matches("[a-d]")).toList();
		int nodes = (numbers.size() > 0) ? numbers.get(0) : 100;
		int seconds = (numbers.size() > 1) ? numbers.get(1) : 60;
		List<String> scenarios = chosen.isEmpty() ? List.of("a", "b", "c", "d") : chosen;
		Duration duration = Duration.ofSeconds(seconds);
		try (DynamoDbLocal local = DynamoDbLocal.start()) {
			if (scenarios.contains("a")) {
				InvalidationScenario.Result result = InvalidationScenario.run(local, "fleet-a", nodes, duration, 2,
						1, 200, Duration.ofSeconds(2), Duration.ofSeconds(2));
				System.out.println(InvalidationScenario.Result.header());
				System.out.println(result.row());
				System.out.println("requests: " + result.requests());
			}
			if (scenarios.contains("b")) {
				ReaderFailoverScenario.Result result = ReaderFailoverScenario.run(local, "fleet-b", nodes, duration, 50);
				System.out.println(ReaderFailoverScenario.Result.header());
				System.out.println(result.row());
			}
			if (scenarios.contains("c")) {
				System.out.println(StampedeScenario.Result.header());
				for (double scale : new double[] { 1, 0.02 }) {
					StampedeScenario.Result result = StampedeScenario.run(local, "fleet-c-" + (int) (scale * 100), nodes,
							StampedeScenario.WARM_UPS, 5, scale);
					System.out.println(result.row());
				}
			}
			if (scenarios.contains("d")) {
				System.out.println(HotKeyScenario.Result.header());
				double scale = Math.min(1, nodes * 20.0 / HotKeyScenario.FLEET_READS_PER_SECOND);
				for (NearCacheSettings nearCache : java.util.Arrays.asList(null,
						new NearCacheSettings(1_000, Duration.ofMinutes(1)))) {
					HotKeyScenario.Result result = HotKeyScenario.run(local, "fleet-d", nodes, duration, scale, nearCache);
					System.out.println(result.row());
				}
			}
		}
		System.exit(0);
	}

}
