package io.github.updatelock.supervisor;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link System.Logger} that keeps what is logged, so that tests can count log lines.
 */
final class CapturingLogger implements System.Logger {

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

	List<String> messages(Level level) {
		return this.lines.stream().filter((line) -> line.level() == level).map(Line::message).toList();
	}

	record Line(Level level, String message, Throwable thrown) {
	}

}
