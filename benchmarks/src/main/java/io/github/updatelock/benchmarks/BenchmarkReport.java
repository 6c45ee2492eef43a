package io.github.updatelock.benchmarks;

import java.io.IOException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.Main;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and prints each result as a ratio to the baseline of its class (the
 * method whose name starts with {@code baseline}), or to the first method of the class when
 * it has no baseline, with the ratio's error from both errors (each JMH's 99.9% interval)
 * added in quadrature.
 * <p>
 * Usage: {@code java -jar benchmarks/target/benchmarks.jar [--rounds=N] [regex] [JMH
 * options]}; without options: one fork, 3 warm-up and 5 measured iterations of 1 s. A
 * baseline and its subject run one after the other, so a change in machine load between
 * them shows up in the ratio; with {@code --rounds=N} the whole selection runs N times and
 * the report ends with the median ratio of each benchmark over the rounds and its range.
 */
public final class BenchmarkReport {

	private static final String ROUNDS = "--rounds=";

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
		int rounds = 1;
		List<String> jmhArgs = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith(ROUNDS)) {
				rounds = Integer.parseInt(arg.substring(ROUNDS.length()));
			}
			else {
				jmhArgs.add(arg);
			}
		}
		CommandLineOptions commandLine = new CommandLineOptions(jmhArgs.toArray(String[]::new));
		if (commandLine.shouldHelp() || commandLine.shouldList() || commandLine.shouldListWithParams()
				|| commandLine.shouldListProfilers() || commandLine.shouldListResultFormats()) {
			// Nothing to run: JMH's own launcher answers these.
			Main.main(jmhArgs.toArray(String[]::new));
			return;
		}
		Map<String, List<Row>> byBenchmark = new LinkedHashMap<>();
		for (int round = 1; round <= rounds; round++) {
			String result = commandLine.getResult().orElse("jmh-result.json");
			if (rounds > 1) {
				result = result.replaceFirst("(\\.json)?$", "-round" + round + "$1");
				System.out.println("# Round " + round + " of " + rounds + " (" + LocalTime.now().withNano(0) + ")");
			}
			List<Row> rows = rows(new Runner(options(commandLine, result)).run());
			print(rows);
			rows.forEach((row) -> byBenchmark.computeIfAbsent(row.name(), (key) -> new ArrayList<>()).add(row));
		}
		if (rounds > 1) {
			printRounds(byBenchmark, rounds);
		}
	}

	private static Options options(CommandLineOptions commandLine, String result) {
		// The builder's own settings win over its parent's, which are the command line's.
		ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine)
			.jvmArgsAppend(jvmArgsAppend(commandLine))
			.resultFormat(ResultFormatType.JSON)
			.result(result);
		if (commandLine.getIncludes().isEmpty()) {
			options.include("io.github.updatelock.benchmarks.*");
		}
		return options.build();
	}

	private static String[] jvmArgsAppend(CommandLineOptions commandLine) {
		List<String> jvmArgs = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
		jvmArgs.addAll(commandLine.getJvmArgsAppend().orElse(List.of()));
		return jvmArgs.toArray(String[]::new);
	}

	private static List<Row> rows(Collection<RunResult> results) {
		Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
		for (RunResult result : results) {
			byClass.computeIfAbsent(className(result), (key) -> new ArrayList<>()).add(result);
		}
		List<Row> rows = new ArrayList<>();
		for (List<RunResult> group : byClass.values()) {
			RunResult reference = group.stream()
				.filter((result) -> methodName(result).startsWith("baseline"))
				.findFirst()
				.orElse(group.get(0));
			Result<?> base = reference.getPrimaryResult();
			for (RunResult result : group) {
				Result<?> primary = result.getPrimaryResult();
				double ratio = primary.getScore() / base.getScore();
				double ratioError = (result == reference) ? Double.NaN
						: ratio * Math.hypot(relativeError(primary), relativeError(base));
				rows.add(new Row(className(result) + "." + methodName(result), primary, ratio, ratioError,
						result.getSecondaryResults()));
			}
		}
		return rows;
	}

	private static void print(List<Row> rows) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-52s %14s %10s %-8s %8s %8s%n", "benchmark", "score", "error", "unit", "ratio",
				"error");
		for (Row row : rows) {
			Result<?> primary = row.primary();
			System.out.printf(Locale.ROOT, "%-52s %14.3f %10.3f %-8s %8.2f %8s%n", row.name(), primary.getScore(),
					primary.getScoreError(), primary.getScoreUnit(), row.ratio(),
					Double.isNaN(row.ratioError()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ratioError()));
			row.secondary()
				.forEach((name, secondary) -> System.out.printf(Locale.ROOT, "%-52s %14.3f %10.3f %-8s%n", "  " + name,
						secondary.getScore(), secondary.getScoreError(), secondary.getScoreUnit()));
		}
	}

	private static void printRounds(Map<String, List<Row>> byBenchmark, int rounds) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-52s %14s %-8s %12s %16s%n", "over " + rounds + " rounds", "median score",
				"unit", "median ratio", "ratio range");
		byBenchmark.forEach((name, rows) -> {
			double[] scores = rows.stream().mapToDouble((row) -> row.primary().getScore()).toArray();
			double[] ratios = rows.stream().mapToDouble(Row::ratio).toArray();
			System.out.printf(Locale.ROOT, "%-52s %14.3f %-8s %12.2f %16s%n", name, median(scores),
					rows.get(0).primary().getScoreUnit(), median(ratios), String.format(Locale.ROOT, "%.2f..%.2f",
							Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow()));
		});
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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

	private record Row(String name, Result<?> primary, double ratio, double ratioError,
			Map<String, Result> secondary) {

	}

}
