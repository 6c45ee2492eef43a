package io.github.updatelock;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.github.updatelock.event.UpdateLockEvent;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a manager's events to its listeners on a thread of their own,
 * {@value #THREAD_NAME}, one at a time and in the order of their sequence numbers.
 * <p>
 * The threads that decide the lock (the manager's scheduler with the watch and the checks
 * after directory events, the callers that take and release holds) only enqueue, so a
 * listener that blocks delays the events after it and nothing else. The number of an event
 * is assigned as it is enqueued, in one step, so that events published under the manager's
 * file lock are numbered and delivered in the order the state changed.
 * <p>
 * The queue is bounded: when a listener falls {@value #CAPACITY} events behind, further
 * events are dropped rather than block the lock; each one is counted and the drops are
 * logged as a warning, at most once every ten seconds. The thread starts with the first
 * event and ends after a second without one, so that an idle manager keeps no thread.
 */
final class EventDispatcher {

	static final String THREAD_NAME = "update-lock-events";

	static final int CAPACITY = 4096;

	private static final System.Logger logger = System.getLogger(EventDispatcher.class.getName());

	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final Path path;

	// Guarded by this.
	private final ArrayDeque<Delivery> queue = new ArrayDeque<>();

	private long lastSequence;

	private long dropped;

	private long droppedAtLastWarning;

	private long lastWarningNanos;

	private @Nullable Thread thread;

	/** Whether the thread is calling listeners with an event it took from the queue. */
	private boolean delivering;

	private boolean closed;

	EventDispatcher(Path path) {
		this.path = path;
	}

	/**
	 * Numbers an event and queues it for delivery. Never blocks for longer than another
	 * enqueue or dequeue takes, and never calls a listener, so it may be called under the
	 * manager's file lock (where it must, for the numbers to follow the state).
	 * @param recipients the listeners to deliver to, read when the event is delivered
	 * @param event builds the event from its sequence number; called under this object's
	 * monitor, so it only calls a record's constructor
	 */
	synchronized void publish(List<UpdateLockListener> recipients, LongFunction<UpdateLockEvent> event) {
		if (recipients.isEmpty()) {
			return;
		}
		UpdateLockEvent numbered = event.apply(++this.lastSequence);
		if (this.closed || this.queue.size() >= CAPACITY) {
			drop(numbered);
			return;
		}
		this.queue.add(new Delivery(recipients, numbered));
		if (this.thread == null) {
			this.thread = new Thread(this::deliverUntilIdle, THREAD_NAME);
			this.thread.setDaemon(true);
			this.thread.start();
		}
		else if (this.queue.size() == 1) {
			notifyAll();
		}
	}

	/**
	 * How many events were dropped: published while the queue was full, or after close.
	 * @return the count since the manager was built
	 */
	synchronized long dropped() {
		return this.dropped;
	}

	/**
	 * Whether every event published so far has been delivered (or dropped): for tests,
	 * which wait for it rather than for a particular event.
	 * @return {@code true} when nothing is queued and no listener is being called
	 */
	synchronized boolean idle() {
		return this.queue.isEmpty() && !this.delivering;
	}

	/**
	 * Accepts no more events and delivers what is queued, waiting up to {@code bound} for
	 * it; what is left after that is counted as dropped. Called on a listener's own thread
	 * (a listener that closes the manager), it does not wait for itself.
	 * @param bound the longest wait
	 */
	void close(Duration bound) {
		Thread delivering;
		synchronized (this) {
			this.closed = true;
			notifyAll();
			delivering = this.thread;
		}
		if (delivering == null || delivering == Thread.currentThread()) {
			return;
		}
		try {
			delivering.join(bound.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (this) {
			int left = this.queue.size();
			if (left > 0) {
				this.queue.clear();
				this.dropped += left;
				logger.log(Level.WARNING, () -> left + " event(s) of update lock " + this.path + " were not delivered: "
						+ "a listener was still busy " + bound.toMillis() + " ms after close");
			}
		}
		// A listener that blocks for good must not keep the thread busy after close; it is a daemon anyway.
		delivering.interrupt();
	}

	/** Called under this object's monitor. */
	private void drop(UpdateLockEvent event) {
		this.dropped++;
		long now = System.nanoTime();
		if (this.droppedAtLastWarning == 0 || now - this.lastWarningNanos >= WARN_EVERY_NANOS) {
			long since = this.dropped - this.droppedAtLastWarning;
			this.droppedAtLastWarning = this.dropped;
			this.lastWarningNanos = now;
			String why = this.closed ? "the manager is closed"
					: "a listener is " + CAPACITY + " events behind (it blocks or is too slow)";
			logger.log(Level.WARNING, () -> "Dropped " + since + " event(s) of update lock " + this.path + " ("
					+ this.dropped + " in all, latest " + event + "): " + why
					+ ". The lock itself is not affected; listeners miss these events.");
		}
	}

	private void deliverUntilIdle() {
		try {
			Delivery next;
			while ((next = awaitNext()) != null) {
				next.deliver();
			}
		}
		finally {
			synchronized (this) {
				// Normally done by awaitNext(); here also when a delivery died, so that the next
				// event starts a thread. A thread started since is not this one's to reset.
				if (this.thread == Thread.currentThread()) {
					this.thread = null;
					this.delivering = false;
				}
			}
		}
	}

	/** The next event, or {@code null} when the thread should end: closed and drained, or idle for a while. */
	private synchronized @Nullable Delivery awaitNext() {
		this.delivering = false;
		long idleSince = System.nanoTime();
		while (true) {
			Delivery next = this.queue.poll();
			if (next != null) {
				this.delivering = true;
				return next;
			}
			long left = IDLE_NANOS - (System.nanoTime() - idleSince);
			if (this.closed || left <= 0) {
				this.thread = null;
				return null;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				// Only close() interrupts, once the queue was given up: the next look ends the thread.
			}
		}
	}

	private record Delivery(List<UpdateLockListener> recipients, UpdateLockEvent event) {

		void deliver() {
			for (UpdateLockListener listener : this.recipients) {
				try {
					listener.onEvent(this.event);
				}
				catch (Throwable ex) {
					// Whatever a listener throws must not end the delivery of the events after it.
					logger.log(Level.WARNING, "Update lock listener " + listener + " failed on " + this.event, ex);
				}
			}
		}

	}

}
