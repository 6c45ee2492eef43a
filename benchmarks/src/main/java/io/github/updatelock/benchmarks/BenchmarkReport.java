package io.github.updatelock.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each result as a ratio to the baseline of its class (the
 * method whose name starts with {@code baseline}), or to the first method of the class when
 * it has no baseline. Usage: {@code java -jar benchmarks/target/benchmarks.jar [regex]}.
 */
public final class BenchmarkReport {

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException {
		String include = (args.length > 0) ? args[0] : "io.github.updatelock.benchmarks.*";
		Options options = new OptionsBuilder().include(include)
			.forks(1)
			.warmupIterations(3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(5)
			.measurementTime(TimeValue.seconds(1))
			.jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
			.resultFormat(ResultFormatType.JSON)
			.result("jmh-result.json")
			.build();
		print(new Runner(options).run());
	}

	private static void print(Collection<RunResult> results) {
		Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
		for (RunResult result : results) {
			byClass.computeIfAbsent(className(result), (key) -> new ArrayList<>()).add(result);
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%-48s %14s %10s %-8s %8s%n", "benchmark", "score", "error", "unit", "ratio");
		for (List<RunResult> group : byClass.values()) {
			RunResult reference = group.stream()
				.filter((result) -> methodName(result).startsWith("baseline"))
				.findFirst()
				.orElse(group.get(0));
			double referenceScore = reference.getPrimaryResult().getScore();
			for (RunResult result : group) {
				Result<?> primary = result.getPrimaryResult();
				System.out.printf(Locale.ROOT, "%-48s %14.3f %10.3f %-8s %8.2f%n",
						className(result) + "." + methodName(result), primary.getScore(), primary.getScoreError(),
						primary.getScoreUnit(), primary.getScore() / referenceScore);
				result.getSecondaryResults()
					.forEach((name, secondary) -> System.out.printf(Locale.ROOT, "%-48s %14.3f %10.3f %-8s%n",
							"  " + name, secondary.getScore(), secondary.getScoreError(), secondary.getScoreUnit()));
			}
		}
	}

	private static String className(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String type = benchmark.substring(0, benchmark.lastIndexOf('.'));
		return type.substring(type.lastIndexOf('.') + 1);
	}

	private static String methodName(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		return benchmark.substring(benchmark.lastIndexOf('.') + 1);
	}

}
