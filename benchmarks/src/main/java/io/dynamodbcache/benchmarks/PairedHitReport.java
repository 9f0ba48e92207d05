package io.dynamodbcache.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link PairedHitBenchmark} and prints, per group, each method's rate and the ratio of the cache's rate
 * to the raw SDK call's, taken in every measured iteration (both ran during the same seconds): the mean of
 * those ratios, their spread, and a 99 % confidence interval of the mean (Student's t over the iterations of
 * all forks). Not itself a JMH benchmark: it is how {@link PairedHitBenchmark}'s figures are read.
 * <p>
 * Run with {@code mvn -B -pl benchmarks exec:exec -Dmain.class=io.dynamodbcache.benchmarks.PairedHitReport}.
 */
public final class PairedHitReport {

	/** Student's t for a two-sided 99 % interval, by degrees of freedom up to 40 (then the normal's 2.576). */
	private static final double[] T_99 = { 63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169,
			3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787,
			2.779, 2.771, 2.763, 2.756, 2.750, 2.744, 2.738, 2.733, 2.728, 2.724, 2.719, 2.715, 2.712, 2.708, 2.704 };

	private PairedHitReport() {
	}

	public static void main(String[] args) throws Exception {
		Options options = new OptionsBuilder().include(PairedHitBenchmark.class.getName() + "\\.").build();
		Collection<RunResult> results = new Runner(options).run();
		System.out.println();
		System.out.println("| group | cache method, ops/s | raw GetItem, ops/s | ratio per iteration: mean "
				+ "(99 % interval) | min / max | iterations |");
		System.out.println("|---|---:|---:|---|---|---:|");
		for (RunResult run : results) {
			for (Pair pair : List.of(new Pair("hits16", "storeHitAt16", "sdkGetAt16"),
					new Pair("hits1", "cacheableHitAt1", "sdkGetAt1"))) {
				if (run.getParams().getBenchmark().endsWith("." + pair.group())) {
					System.out.println(pair.row(run));
				}
			}
		}
		System.exit(0);
	}

	/**
	 * The two methods' rates in every measured iteration of every fork of a group's run.
	 * @return per iteration, the cache method's rate and the raw method's rate (not 0)
	 */
	static List<double[]> rates(RunResult run, String cache, String raw) {
		List<double[]> rates = new ArrayList<>();
		for (BenchmarkResult fork : run.getBenchmarkResults()) {
			for (IterationResult iteration : fork.getIterationResults()) {
				Result<?> cacheRate = iteration.getSecondaryResults().get(cache);
				Result<?> rawRate = iteration.getSecondaryResults().get(raw);
				if (cacheRate != null && rawRate != null && rawRate.getScore() > 0) {
					rates.add(new double[] { cacheRate.getScore(), rawRate.getScore() });
				}
			}
		}
		return rates;
	}

	private record Pair(String group, String cache, String raw) {

		String row(RunResult run) {
			List<double[]> rates = rates(run, this.cache, this.raw);
			List<Double> ratios = rates.stream().map((pair) -> pair[0] / pair[1]).toList();
			double cacheSum = rates.stream().mapToDouble((pair) -> pair[0]).sum();
			double rawSum = rates.stream().mapToDouble((pair) -> pair[1]).sum();
			int n = ratios.size();
			double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
			double variance = ratios.stream().mapToDouble((ratio) -> (ratio - mean) * (ratio - mean)).sum()
					/ Math.max(1, n - 1);
			double half = ((n - 2 < T_99.length) ? T_99[Math.max(0, n - 2)] : 2.576) * Math.sqrt(variance / n);
			return String.format("| %s | %s %,.0f | %,.0f | %.3f (%.3f to %.3f) | %.3f / %.3f | %d |", this.group,
					this.cache, cacheSum / n, rawSum / n, mean, mean - half, mean + half,
					ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
					ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), n);
		}

	}

}
