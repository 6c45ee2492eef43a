package io.github.updatelock.testsupport;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link System.Logger} that keeps what is logged, so that tests can count log lines and
 * check what they show (a secret never, for instance).
 */
public final class CapturingLogger implements System.Logger {

	private final List<Line> lines = new CopyOnWriteArrayList<>();

	@Override
	public String getName() {
		return "capturing";
	}

	@Override
	public boolean isLoggable(Level level) {
		return true;
	}

	@Override
	public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
		this.lines.add(new Line(level, message, thrown));
	}

	@Override
	public void log(Level level, ResourceBundle bundle, String format, Object... params) {
		String message = (params == null || params.length == 0) ? format : MessageFormat.format(format, params);
		this.lines.add(new Line(level, message, null));
	}

	/**
	 * The messages logged at one level, oldest first.
	 * @param level the level
	 * @return the messages
	 */
	public List<String> messages(Level level) {
		return this.lines.stream().filter((line) -> line.level() == level).map(Line::message).toList();
	}

	/**
	 * Every line logged, oldest first.
	 * @return a snapshot
	 */
	public List<Line> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * A logged line.
	 *
	 * @param level the level
	 * @param message the message
	 * @param thrown the exception logged with it, or {@code null}
	 */
	public record Line(Level level, String message, Throwable thrown) {
	}

}
