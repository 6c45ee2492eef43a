package io.github.updatelock.testsupport;

import java.util.concurrent.Executor;

/**
 * Runs each task on a thread of its own. Tests use it for calls that wait (an acquisition
 * blocked by the Supervisor, an HTTP request that waits for the lock): on the common pool
 * such a call takes the only worker a 2-core machine has, and on Java 25 an HTTP client in
 * the same test then never completed.
 */
public final class OwnThread {

	/** Starts a new thread, named {@code waiting-call}, per task. */
	public static final Executor EXECUTOR = (task) -> new Thread(task, "waiting-call").start();

	private OwnThread() {
	}

}
