import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replays the build stage of a Dockerfile without a Docker daemon, and checks its final stage.
 * <p>
 * The build stage is the one the final stage copies from ({@code COPY --from=<stage>}). Its
 * {@code WORKDIR}, {@code COPY} and {@code RUN} lines are read from the Dockerfile itself and
 * carried out in an empty folder that stands for the image's root: {@code COPY} copies what
 * Docker would send (the build context minus {@code .dockerignore}), {@code RUN} runs with
 * {@code /bin/sh -c} in the mapped working directory, with the stage's absolute working
 * directories rewritten to the mapped ones. Maven runs offline against the machine's local
 * repository ({@code MAVEN_ARGS=-o}, which the Maven 3.9 launcher behind {@code ./mvnw} appends
 * to its arguments), so the replay needs no network once the project has been built here.
 * The file the final stage copies must exist afterwards and be an executable jar.
 * <p>
 * The final stage must run a JRE image (no JDK), as a non-root user that is not uid 65534
 * (the Supervisor adopts and deletes every lock file that user owns), with an exec-form
 * {@code ENTRYPOINT} (so that java is PID 1 and receives {@code docker stop}'s SIGTERM).
 * <p>
 * Usage: {@code java .ci/DockerfileBuildStageReplay.java <context> <Dockerfile> <scratch folder>}.
 */
public class DockerfileBuildStageReplay {

	private static final Pattern USERADD_UID = Pattern.compile("useradd\\b[^&;|]*?--uid[ =](\\d+)[^&;|]*?\\s(\\S+)\\s*(?:$|&&|;|\\|)");

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			throw new IllegalArgumentException("Usage: DockerfileBuildStageReplay <context> <Dockerfile> <scratch folder>");
		}
		Path context = Path.of(args[0]).toAbsolutePath().normalize();
		Path dockerfile = Path.of(args[1]).toAbsolutePath().normalize();
		Path root = Path.of(args[2]).toAbsolutePath().normalize();
		if (Files.exists(root) && !isEmptyFolder(root)) {
			throw new IllegalArgumentException("The scratch folder must be empty or absent: " + root);
		}
		Files.createDirectories(root);
		List<Stage> stages = Stage.parse(Files.readString(dockerfile));
		if (stages.size() < 2) {
			throw failure(dockerfile, "needs a build stage and a final stage, found " + stages.size() + " stage(s)");
		}
		Stage last = stages.get(stages.size() - 1);
		checkFinalStage(dockerfile, last);
		Instruction copyFromBuild = last.instructions.stream()
			.filter((instruction) -> instruction.keyword.equals("COPY") && instruction.flag("from") != null)
			.findFirst()
			.orElseThrow(() -> failure(dockerfile, "final stage copies nothing from a build stage (COPY --from=...)"));
		String buildStageName = copyFromBuild.flag("from");
		Stage build = stages.stream()
			.filter((stage) -> buildStageName.equals(stage.name))
			.findFirst()
			.orElseThrow(() -> failure(dockerfile, "COPY --from=" + buildStageName + " names no stage of this file"));
		List<String> copied = copyFromBuild.arguments();
		if (copied.size() != 2) {
			throw failure(dockerfile, "expected COPY --from=" + buildStageName + " <file> <destination>, was " + copyFromBuild.text);
		}
		DockerIgnore ignore = DockerIgnore.read(context.resolve(".dockerignore"));
		String workdir = replay(dockerfile, build, context, ignore, root);
		Path product = inImage(root, workdir, copied.get(0));
		if (!Files.isRegularFile(product)) {
			throw failure(dockerfile, "the build stage did not produce " + copied.get(0) + ", which the final stage copies");
		}
		try (JarFile jar = new JarFile(product.toFile())) {
			String mainClass = (jar.getManifest() != null) ? jar.getManifest().getMainAttributes().getValue("Main-Class") : null;
			if (mainClass == null) {
				throw failure(dockerfile, copied.get(0) + " is not an executable jar (no Main-Class in its manifest)");
			}
		}
		System.out.println("Dockerfile " + dockerfile.getFileName() + ": build stage '" + buildStageName + "' produced "
				+ copied.get(0) + " (" + Files.size(product) + " bytes); final stage " + last.image
				+ " runs as user " + last.lastValue("USER") + " with an exec-form ENTRYPOINT");
	}

	/**
	 * Carries out the stage's instructions and answers the working directory it ends in.
	 */
	private static String replay(Path dockerfile, Stage stage, Path context, DockerIgnore ignore, Path root)
			throws IOException, InterruptedException {
		String workdir = "/";
		List<String> workdirs = new ArrayList<>();
		Map<String, String> environment = new LinkedHashMap<>();
		for (Instruction instruction : stage.instructions) {
			switch (instruction.keyword) {
				case "WORKDIR" -> {
					workdir = imagePath(workdir, instruction.rest);
					workdirs.add(workdir);
					Files.createDirectories(inImage(root, "/", workdir));
				}
				case "ENV" -> {
					for (String assignment : instruction.arguments()) {
						int equals = assignment.indexOf('=');
						if (equals < 1) {
							throw failure(dockerfile, "the replay understands only ENV name=value, was " + instruction.text);
						}
						environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
					}
				}
				case "COPY" -> copy(dockerfile, instruction, context, ignore, root, workdir);
				case "RUN" -> run(dockerfile, instruction, root, workdir, workdirs, environment);
				default -> throw failure(dockerfile, "the replay does not know " + instruction.keyword
						+ " in the build stage; teach it, or keep the stage to WORKDIR, ENV, COPY and RUN");
			}
		}
		return workdir;
	}

	private static void copy(Path dockerfile, Instruction instruction, Path context, DockerIgnore ignore, Path root,
			String workdir) throws IOException {
		for (String flag : instruction.flags.keySet()) {
			if (!flag.equals("chown") && !flag.equals("chmod") && !flag.equals("link")) {
				throw failure(dockerfile, "the replay does not know COPY --" + flag + " in the build stage: " + instruction.text);
			}
		}
		List<String> arguments = instruction.arguments();
		if (arguments.size() < 2) {
			throw failure(dockerfile, "COPY needs a source and a destination: " + instruction.text);
		}
		String destination = arguments.get(arguments.size() - 1);
		List<String> sources = arguments.subList(0, arguments.size() - 1);
		boolean intoFolder = destination.endsWith("/") || sources.size() > 1;
		Path target = inImage(root, workdir, destination);
		for (String source : sources) {
			List<Path> matches = contextMatches(context, source);
			if (matches.isEmpty()) {
				throw failure(dockerfile, "COPY source " + source + " is not in the build context (or .dockerignore excludes it)");
			}
			for (Path match : matches) {
				if (ignore.excludes(context.relativize(match))) {
					continue;
				}
				if (Files.isDirectory(match)) {
					copyFolderContents(context, ignore, match, target);
				}
				else {
					Path file = intoFolder ? target.resolve(match.getFileName().toString()) : target;
					Files.createDirectories(file.getParent());
					Files.copy(match, file, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	private static List<Path> contextMatches(Path context, String source) throws IOException {
		Path relative = Path.of(source.replaceFirst("^/+", "")).normalize();
		if (relative.toString().isEmpty()) {
			return List.of(context);
		}
		if (relative.startsWith("..")) {
			throw new IllegalArgumentException("COPY source outside the build context: " + source);
		}
		String name = relative.getFileName().toString();
		if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
			Path path = context.resolve(relative);
			return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? List.of(path) : List.of();
		}
		Path folder = (relative.getParent() != null) ? context.resolve(relative.getParent()) : context;
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
		try (Stream<Path> children = Files.list(folder)) {
			return children.filter((child) -> matcher.matches(child.getFileName())).sorted().toList();
		}
	}

	private static void copyFolderContents(Path context, DockerIgnore ignore, Path folder, Path target) throws IOException {
		try (Stream<Path> tree = Files.walk(folder)) {
			for (Path path : (Iterable<Path>) tree::iterator) {
				if (!path.equals(folder) && ignore.excludes(context.relativize(path))) {
					continue;
				}
				Path copy = target.resolve(folder.relativize(path).toString());
				if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
					Files.createDirectories(copy);
				}
				else {
					Files.createDirectories(copy.getParent());
					Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS,
							StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private static void run(Path dockerfile, Instruction instruction, Path root, String workdir, List<String> workdirs,
			Map<String, String> environment) throws IOException, InterruptedException {
		if (instruction.rest.startsWith("[")) {
			throw failure(dockerfile, "the replay runs only shell-form RUN in the build stage: " + instruction.text);
		}
		String command = instruction.rest;
		// Longest first, so that /workspace/sub is not half-rewritten as /workspace.
		List<String> absolute = new ArrayList<>(workdirs);
		absolute.sort((a, b) -> b.length() - a.length());
		for (String path : absolute) {
			if (!path.equals("/")) {
				command = command.replaceAll(Pattern.quote(path) + "(?=/|\\s|$)",
						Matcher.quoteReplacement(inImage(root, "/", path).toString()));
			}
		}
		System.out.println("==> RUN (in " + workdir + "): " + command);
		ProcessBuilder process = new ProcessBuilder("/bin/sh", "-c", command).directory(inImage(root, "/", workdir).toFile())
			.inheritIO();
		process.environment().putAll(environment);
		process.environment().put("MAVEN_ARGS", "-o");
		int exit = process.start().waitFor();
		if (exit != 0) {
			throw failure(dockerfile, "the build stage's RUN failed with exit code " + exit + ": " + instruction.text);
		}
	}

	private static void checkFinalStage(Path dockerfile, Stage last) {
		String image = last.image;
		String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
		if (!tag.contains("jre") || tag.contains("jdk")) {
			throw failure(dockerfile, "the final stage must run a JRE image (a tag with 'jre'), was FROM " + image);
		}
		String user = last.lastValue("USER");
		if (user == null) {
			throw failure(dockerfile, "the final stage has no USER, so it runs as root; run as a user that is not uid 65534");
		}
		String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
		String uid = name.matches("\\d+") ? name : uidOfUser(last, name);
		if (uid == null) {
			throw failure(dockerfile, "USER " + user + " is neither a number nor a user the final stage adds with useradd --uid");
		}
		if (uid.equals("0")) {
			throw failure(dockerfile, "USER " + user + " is root; run as a user that is not uid 65534");
		}
		if (uid.equals("65534")) {
			throw failure(dockerfile, "USER " + user + " is uid 65534, whose lock files the Supervisor adopts and deletes");
		}
		String entrypoint = last.lastValue("ENTRYPOINT");
		if (entrypoint == null || !entrypoint.startsWith("[") || !entrypoint.endsWith("]")) {
			throw failure(dockerfile, "the final stage needs an exec-form ENTRYPOINT [\"java\", ...] so that java gets SIGTERM, was "
					+ entrypoint);
		}
	}

	private static String uidOfUser(Stage stage, String name) {
		if (name.equals("root")) {
			return "0";
		}
		if (name.equals("nobody")) {
			return "65534";
		}
		for (Instruction instruction : stage.instructions) {
			if (instruction.keyword.equals("RUN")) {
				Matcher matcher = USERADD_UID.matcher(instruction.rest);
				while (matcher.find()) {
					if (matcher.group(2).equals(name)) {
						return matcher.group(1);
					}
				}
			}
		}
		return null;
	}

	private static String imagePath(String workdir, String path) {
		String joined = path.startsWith("/") ? path : workdir + "/" + path;
		return Path.of(joined).normalize().toString();
	}

	private static Path inImage(Path root, String workdir, String path) {
		String absolute = imagePath(workdir, path).replaceFirst("^/+", "");
		return absolute.isEmpty() ? root : root.resolve(absolute);
	}

	private static boolean isEmptyFolder(Path path) throws IOException {
		try (Stream<Path> children = Files.list(path)) {
			return children.findAny().isEmpty();
		}
	}

	private static IllegalStateException failure(Path dockerfile, String message) {
		return new IllegalStateException(dockerfile + ": " + message);
	}

	/**
	 * One stage of a Dockerfile: its base image, optional name and instructions.
	 */
	private static final class Stage {

		final String image;

		final String name;

		final List<Instruction> instructions = new ArrayList<>();

		Stage(String image, String name) {
			this.image = image;
			this.name = name;
		}

		String lastValue(String keyword) {
			String value = null;
			for (Instruction instruction : this.instructions) {
				if (instruction.keyword.equals(keyword)) {
					value = instruction.rest;
				}
			}
			return value;
		}

		static List<Stage> parse(String text) {
			List<Stage> stages = new ArrayList<>();
			StringBuilder logical = new StringBuilder();
			for (String line : text.split("\n", -1)) {
				String trimmed = line.strip();
				if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.isEmpty())) {
					continue;
				}
				if (trimmed.endsWith("\\")) {
					logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
					continue;
				}
				logical.append(trimmed);
				Instruction instruction = Instruction.of(logical.toString().strip());
				logical.setLength(0);
				if (instruction == null) {
					continue;
				}
				if (instruction.keyword.equals("FROM")) {
					List<String> words = instruction.arguments();
					String name = (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) ? words.get(2) : null;
					stages.add(new Stage(words.get(0), name));
				}
				else if (stages.isEmpty()) {
					if (!instruction.keyword.equals("ARG")) {
						throw new IllegalStateException("Dockerfile: " + instruction.keyword + " before the first FROM");
					}
				}
				else {
					stages.get(stages.size() - 1).instructions.add(instruction);
				}
			}
			return stages;
		}

	}

	/**
	 * One instruction: its keyword, its {@code --name=value} flags and the rest of the line.
	 */
	private static final class Instruction {

		final String text;

		final String keyword;

		final Map<String, String> flags = new LinkedHashMap<>();

		final String rest;

		private Instruction(String text, String keyword, String rest) {
			this.text = text;
			this.keyword = keyword;
			String remaining = rest;
			while (remaining.startsWith("--")) {
				int end = remaining.indexOf(' ');
				String flag = (end < 0) ? remaining.substring(2) : remaining.substring(2, end);
				int equals = flag.indexOf('=');
				this.flags.put((equals < 0) ? flag : flag.substring(0, equals), (equals < 0) ? "" : flag.substring(equals + 1));
				remaining = (end < 0) ? "" : remaining.substring(end + 1).strip();
			}
			this.rest = remaining;
		}

		static Instruction of(String line) {
			if (line.isEmpty()) {
				return null;
			}
			int space = line.indexOf(' ');
			String keyword = ((space < 0) ? line : line.substring(0, space)).toUpperCase();
			String rest = (space < 0) ? "" : line.substring(space + 1).strip();
			return new Instruction(line, keyword, rest);
		}

		String flag(String name) {
			return this.flags.get(name);
		}

		List<String> arguments() {
			return List.of(this.rest.split("\\s+"));
		}

	}

	/**
	 * The patterns of a {@code .dockerignore}, matched as Docker does: each pattern is anchored
	 * at the context root, {@code **} spans folders, a pattern that matches a folder excludes
	 * everything below it, {@code !} re-includes, and the last matching pattern wins.
	 */
	private static final class DockerIgnore {

		private final List<Pattern> patterns = new ArrayList<>();

		private final List<Boolean> exclusions = new ArrayList<>();

		static DockerIgnore read(Path file) throws IOException {
			DockerIgnore ignore = new DockerIgnore();
			if (Files.exists(file)) {
				for (String line : Files.readAllLines(file)) {
					String pattern = line.strip();
					if (pattern.isEmpty() || pattern.startsWith("#")) {
						continue;
					}
					boolean exclusion = !pattern.startsWith("!");
					if (!exclusion) {
						pattern = pattern.substring(1).strip();
					}
					pattern = Path.of(pattern.replaceFirst("^/+", "")).normalize().toString();
					ignore.patterns.add(Pattern.compile(regex(pattern)));
					ignore.exclusions.add(exclusion);
				}
			}
			return ignore;
		}

		boolean excludes(Path relative) {
			boolean excluded = false;
			for (int i = 0; i < this.patterns.size(); i++) {
				if (matchesItselfOrParent(this.patterns.get(i), relative)) {
					excluded = this.exclusions.get(i);
				}
			}
			return excluded;
		}

		private static boolean matchesItselfOrParent(Pattern pattern, Path relative) {
			for (Path prefix = relative; prefix != null && !prefix.toString().isEmpty(); prefix = prefix.getParent()) {
				if (pattern.matcher(prefix.toString()).matches()) {
					return true;
				}
			}
			return false;
		}

		private static String regex(String pattern) {
			StringBuilder regex = new StringBuilder();
			for (int i = 0; i < pattern.length(); i++) {
				char c = pattern.charAt(i);
				if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
					boolean slashFollows = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
					regex.append(slashFollows ? "(?:.*/)?" : ".*");
					i += slashFollows ? 2 : 1;
				}
				else if (c == '*') {
					regex.append("[^/]*");
				}
				else if (c == '?') {
					regex.append("[^/]");
				}
				else {
					regex.append(Pattern.quote(String.valueOf(c)));
				}
			}
			return regex.toString();
		}

	}

}
