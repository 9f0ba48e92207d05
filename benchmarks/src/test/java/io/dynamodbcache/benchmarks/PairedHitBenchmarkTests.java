package io.dynamodbcache.benchmarks;

import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PairedHitBenchmark} at a token size (in this JVM, two iterations of a second): both sides of each
 * group run, every {@code @Cacheable} and store call is a hit (a miss fails the benchmark), and
 * {@link PairedHitReport} finds a rate of each side in every iteration. The figures themselves come from the
 * full run.
 */
class PairedHitBenchmarkTests {

	@Test
	void bothSidesOfEachGroupRunAtOnceAndEveryIterationGivesARatio() throws Exception {
		Options options = new OptionsBuilder().include(PairedHitBenchmark.class.getName() + "\\.")
			.forks(0)
			.warmupIterations(0)
			.measurementIterations(2)
			.measurementTime(TimeValue.seconds(1))
			.build();

		Collection<RunResult> results = new Runner(options).run();

		assertThat(results).hasSize(2);
		for (RunResult run : results) {
			String group = run.getParams().getBenchmark();
			List<double[]> rates = group.endsWith(".hits16") ? PairedHitReport.rates(run, "storeHitAt16", "sdkGetAt16")
					: PairedHitReport.rates(run, "cacheableHitAt1", "sdkGetAt1");
			assertThat(rates).as(group).hasSize(2).allSatisfy((pair) -> {
				assertThat(pair[0]).as("the cache's calls per second").isPositive();
				assertThat(pair[1]).as("the raw calls per second").isPositive();
			});
		}
	}

}
