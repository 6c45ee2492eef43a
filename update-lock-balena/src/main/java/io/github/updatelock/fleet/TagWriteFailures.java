package io.github.updatelock.fleet;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import io.github.updatelock.balena.internal.FailureLogThrottle;
import io.github.updatelock.supervisor.SupervisorApiException;
import org.jspecify.annotations.Nullable;

/**
 * The failed tag writes of a {@link FleetTagPublisher}: when to try again, what to show and
 * what to log. The wait after a failure is 30 s, doubling up to 15 min, or what a
 * balenaCloud {@code Retry-After} asks, and the longest at once for a refused key or an
 * unknown device, since only a change outside the process helps; each wait is lengthened at
 * random by up to {@link FleetTagPublisher#MAX_JITTER}, so that the devices of a fleet do not
 * all call again in the same second. Not thread-safe: the publisher calls it under its lock.
 */
final class TagWriteFailures {

	private final DoubleSupplier jitter;

	private final FailureLogThrottle failureLog;

	private final System.Logger logger;

	private int consecutive;

	private long total;

	private @Nullable Throwable last;

	private @Nullable Instant lastAt;

	/** When the next attempt is due, for display; {@link #retryAtNanos} decides. */
	private @Nullable Instant retryAt;

	/** When the next attempt is due on the monotonic clock; meaningful while {@link #retryAt} is set. */
	private long retryAtNanos;

	TagWriteFailures(DoubleSupplier jitter, Duration errorLogInterval, System.Logger logger) {
		this.jitter = Objects.requireNonNull(jitter, "jitter");
		this.failureLog = new FailureLogThrottle(errorLogInterval, "failed attempts");
		this.logger = Objects.requireNonNull(logger, "logger");
	}

	/**
	 * Records a failed write and logs it, unless the log is throttled.
	 * @param now the wall-clock time, for display
	 * @param nowNanos the monotonic time, which the wait is measured on
	 * @return how long to wait before the next attempt
	 */
	Duration failed(Throwable failure, Instant now, long nowNanos) {
		this.total++;
		this.consecutive++;
		this.last = failure;
		this.lastAt = now;
		Duration wait = lengthened(backoff(failure, this.consecutive));
		this.retryAt = now.plus(wait);
		this.retryAtNanos = nowNanos + wait.toNanos();
		String unlogged = this.failureLog.failed(now, nowNanos);
		if (unlogged != null) {
			this.logger.log(Level.WARNING, failure.getMessage() + "; the update lock's device tags are not up to "
					+ "date, trying again in " + wait + unlogged);
		}
		return wait;
	}

	/** Forgets the failures after a write went through, saying so once if there were any. */
	void succeeded(FleetTagChannel channel) {
		if (this.consecutive > 0) {
			int failed = this.consecutive;
			this.logger.log(Level.INFO, () -> channel.describe() + " answers again after " + failed
					+ " failed attempts; publishing the device tags goes on");
		}
		this.consecutive = 0;
		this.last = null;
		this.lastAt = null;
		this.retryAt = null;
		this.failureLog.succeeded();
	}

	/**
	 * How long until the next attempt is due.
	 * @param nowNanos the monotonic time
	 * @return the wait, or {@code null} when not backing off or the backoff is over
	 */
	@Nullable Duration untilRetry(long nowNanos) {
		long left = this.retryAtNanos - nowNanos;
		return (this.retryAt != null && left > 0) ? Duration.ofNanos(left) : null;
	}

	/** The state's view of the failures, for the endpoint, health and meters. */
	FleetPublisherState state(@Nullable Long deviceId, @Nullable Instant lastPublishedAt,
			Map<String, String> tags, long writes) {
		Throwable error = this.last;
		return new FleetPublisherState(true, deviceId, lastPublishedAt, (error != null) ? kindOf(error) : null,
				(error != null) ? error.getMessage() : null, this.lastAt, this.consecutive, this.retryAt, tags, writes,
				this.total);
	}

	private static Duration backoff(Throwable failure, int consecutiveFailures) {
		if (!(failure instanceof BalenaApiException error)) {
			return exponential(consecutiveFailures);
		}
		return switch (error.getKind()) {
			case UNAUTHORIZED, DEVICE_NOT_FOUND -> FleetTagPublisher.MAX_BACKOFF;
			case RATE_LIMITED -> (error.getRetryAfter() != null && !error.getRetryAfter().isZero())
					? error.getRetryAfter() : exponential(consecutiveFailures);
			default -> exponential(consecutiveFailures);
		};
	}

	private Duration lengthened(Duration wait) {
		double fraction = Math.min(Math.max(this.jitter.getAsDouble(), 0), FleetTagPublisher.MAX_JITTER);
		return wait.plusNanos((long) (wait.toNanos() * fraction));
	}

	private static Duration exponential(int consecutiveFailures) {
		int doublings = Math.min(consecutiveFailures - 1, 16);
		Duration wait = FleetTagPublisher.INITIAL_BACKOFF.multipliedBy(1L << doublings);
		return (wait.compareTo(FleetTagPublisher.MAX_BACKOFF) > 0) ? FleetTagPublisher.MAX_BACKOFF : wait;
	}

	/** The kind the endpoint, health and meters show, whichever channel failed. */
	private static BalenaErrorKind kindOf(Throwable failure) {
		if (failure instanceof BalenaApiException api) {
			return api.getKind();
		}
		if (failure instanceof SupervisorApiException supervisor) {
			return switch (supervisor.getKind()) {
				case UNAUTHORIZED -> BalenaErrorKind.UNAUTHORIZED;
				case TIMEOUT, INTERRUPTED -> BalenaErrorKind.TIMEOUT;
				case UNREACHABLE -> BalenaErrorKind.UNREACHABLE;
				case INVALID_ANSWER -> BalenaErrorKind.INVALID_ANSWER;
				default -> BalenaErrorKind.REJECTED;
			};
		}
		return BalenaErrorKind.REJECTED;
	}

}
