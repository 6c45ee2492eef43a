package io.github.updatelock.benchmarks;

import java.io.IOException;
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
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each result as a ratio to the baseline of its class (the
 * method whose name starts with {@code baseline}), or to the first method of the class when
 * it has no baseline, with the ratio's error from both errors (each JMH's 99.9% interval)
 * added in quadrature. Usage: {@code java -jar benchmarks/target/benchmarks.jar [regex]
 * [JMH options]}; without options: one fork, 3 warm-up and 5 measured iterations of 1 s.
 */
public final class BenchmarkReport {

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
		CommandLineOptions commandLine = new CommandLineOptions(args);
		if (commandLine.shouldHelp()) {
			commandLine.showHelp();
			return;
		}
		// The builder's own settings win over its parent's: set only what the command line left open.
		ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine)
			.jvmArgsAppend(jvmArgsAppend(commandLine))
			.resultFormat(ResultFormatType.JSON)
			.result(commandLine.getResult().orElse("jmh-result.json"));
		if (commandLine.getIncludes().isEmpty()) {
			options.include("io.github.updatelock.benchmarks.*");
		}
		if (!commandLine.getForkCount().hasValue()) {
			options.forks(1);
		}
		if (!commandLine.getWarmupIterations().hasValue()) {
			options.warmupIterations(3);
		}
		if (!commandLine.getWarmupTime().hasValue()) {
			options.warmupTime(TimeValue.seconds(1));
		}
		if (!commandLine.getMeasurementIterations().hasValue()) {
			options.measurementIterations(5);
		}
		if (!commandLine.getMeasurementTime().hasValue()) {
			options.measurementTime(TimeValue.seconds(1));
		}
		print(new Runner(options.build()).run());
	}

	private static String[] jvmArgsAppend(CommandLineOptions commandLine) {
		List<String> jvmArgs = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
		jvmArgs.addAll(commandLine.getJvmArgsAppend().orElse(List.of()));
		return jvmArgs.toArray(String[]::new);
	}

	private static void print(Collection<RunResult> results) {
		Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
		for (RunResult result : results) {
			byClass.computeIfAbsent(className(result), (key) -> new ArrayList<>()).add(result);
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%-52s %14s %10s %-8s %8s %8s%n", "benchmark", "score", "error", "unit", "ratio",
				"error");
		for (List<RunResult> group : byClass.values()) {
			RunResult reference = group.stream()
				.filter((result) -> methodName(result).startsWith("baseline"))
				.findFirst()
				.orElse(group.get(0));
			Result<?> base = reference.getPrimaryResult();
			for (RunResult result : group) {
				Result<?> primary = result.getPrimaryResult();
				double ratio = primary.getScore() / base.getScore();
				String ratioError = (result == reference) ? "-"
						: String.format(Locale.ROOT, "%.2f", ratio * Math.hypot(relativeError(primary), relativeError(base)));
				System.out.printf(Locale.ROOT, "%-52s %14.3f %10.3f %-8s %8.2f %8s%n",
						className(result) + "." + methodName(result), primary.getScore(), primary.getScoreError(),
						primary.getScoreUnit(), ratio, ratioError);
				result.getSecondaryResults()
					.forEach((name, secondary) -> System.out.printf(Locale.ROOT, "%-52s %14.3f %10.3f %-8s%n",
							"  " + name, secondary.getScore(), secondary.getScoreError(), secondary.getScoreUnit()));
			}
		}
	}

	private static double relativeError(Result<?> result) {
		return result.getScoreError() / result.getScore();
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
