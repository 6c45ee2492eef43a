package io.github.updatelock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The other instance in the crash tests, run in a JVM of its own: takes the lock, prints
 * {@value #READY} and holds until it is killed or its standard input ends. Ending on end of
 * input also means it cannot outlive a test JVM that died.
 * <p>
 * Arguments: the lock file, then {@code flock} or {@code no-flock}, then optionally
 * {@code churn} and a seed: instead of holding once, it prints {@value #READY_TO_CHURN},
 * waits for one line, then takes and releases holds (some nested, from several threads) as
 * fast as it can, so that a kill lands at a random point of an acquisition or a release.
 */
public final class HoldUntilKilled {

	static final String READY = "held";

	static final String READY_TO_CHURN = "ready";

	static final String RELEASED = "released";

	/** Two churners: the count then crosses zero both alone and while the other thread holds. */
	private static final int CHURN_THREADS = 2;

	/** Short, so that a churner blocked by someone else's entry keeps examining it. */
	private static final Duration CHURN_WAIT = Duration.ofMillis(20);

	/** Work under a hold lasts up to this long: about as long as taking and dropping the file. */
	private static final int MAX_WORK_NANOS = 100_000;

	private HoldUntilKilled() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		boolean churn = args.length > 2 && args[2].equals("churn");
		UpdateLockManager manager = UpdateLockManager.builder()
			.lockPath(Path.of(args[0]))
			.environment(Map.of())
			.flock(args[1].equals("flock"))
			.acquireTimeout(churn ? CHURN_WAIT : Duration.ZERO)
			.initialBackoff(Duration.ofMillis(1))
			.maxBackoff(Duration.ofMillis(5))
			.build();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		if (churn) {
			churnUntilInputEnds(manager, input, Long.parseLong(args[3]));
		}
		else {
			holdUntilInputEnds(manager, input);
		}
		System.out.println(RELEASED);
		System.out.flush();
	}

	private static void holdUntilInputEnds(UpdateLockManager manager, BufferedReader input) throws IOException {
		UpdateLockHold hold = manager.acquire("child");
		System.out.println(READY);
		System.out.println(describe(manager.snapshot()));
		System.out.flush();
		while (input.readLine() != null) {
			// Only the end of input matters.
		}
		hold.release();
		manager.close();
	}

	/**
	 * The state a test checks in a child it cannot look into: status and the problems warned
	 * about, e.g. {@code UNAVAILABLE [RUNNING_AS_SUPERVISOR_UID, FLOCK_UNAVAILABLE]}.
	 */
	static String describe(UpdateLockSnapshot snapshot) {
		return snapshot.status() + " " + snapshot.warnings().stream().map(UpdateLockWarning::problem).toList() + " "
				+ snapshot.protection();
	}

	private static void churnUntilInputEnds(UpdateLockManager manager, BufferedReader input, long seed)
			throws IOException, InterruptedException {
		// A snapshot loads the native binding, which the manager otherwise loads in the background:
		// part of the start-up, not of the random delay below.
		manager.snapshot();
		System.out.println(READY_TO_CHURN);
		System.out.flush();
		// Started on a line rather than at once, so that the JVM's start-up is not part of the random delay.
		if (input.readLine() == null) {
			manager.close();
			return;
		}
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> churners = new ArrayList<>();
		for (int i = 0; i < CHURN_THREADS; i++) {
			Random random = new Random(seed + i);
			String name = "churner-" + i;
			Thread churner = new Thread(() -> churn(manager, name, random, stop), name);
			churner.start();
			churners.add(churner);
		}
		while (input.readLine() != null) {
			// Only the end of input matters.
		}
		stop.set(true);
		for (Thread churner : churners) {
			churner.join();
		}
		manager.close();
	}

	private static void churn(UpdateLockManager manager, String name, Random random, AtomicBoolean stop) {
		while (!stop.get()) {
			UpdateLockHold outer;
			try {
				outer = manager.acquire(name);
			}
			catch (UpdateLockTimeoutException ex) {
				// Someone else's entry is in the way: keep trying, as an application's next task would.
				continue;
			}
			if (random.nextBoolean()) {
				// Some work under the hold: without it the file exists for so small a part of each
				// loop that a random kill would rarely leave one behind to reclaim.
				LockSupport.parkNanos(random.nextInt(MAX_WORK_NANOS));
			}
			UpdateLockHold nested = (random.nextInt(3) == 0) ? manager.acquire(name + "-nested") : null;
			if (nested != null && random.nextBoolean()) {
				nested.release();
				nested = null;
			}
			outer.release();
			if (nested != null) {
				// Out of order: the nested hold alone keeps the file for a moment.
				nested.release();
			}
		}
	}

}
