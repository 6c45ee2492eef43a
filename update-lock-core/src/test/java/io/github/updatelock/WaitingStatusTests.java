package io.github.updatelock;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A waiter that gives up while another starts waiting must not hide the other's blocker:
 * the snapshot says {@code WAITING}, and who blocks, for as long as anyone waits.
 */
class WaitingStatusTests {

	@TempDir
	Path tempDir;

	private UpdateLockManager manager;

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() throws InterruptedException {
		for (Thread thread : this.threads) {
			thread.interrupt();
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		if (this.manager != null) {
			this.manager.close();
		}
	}

	@Test
	void aWaiterThatEndsWhileABackgroundHoldStartsWaitingLeavesItsBlockerShown() throws Exception {
		Path lockFile = this.tempDir.resolve("updates.lock");
		// No marker: someone else's lock, never ours to remove.
		Files.writeString(lockFile, "");
		this.manager = UpdateLockManager.builder()
			.lockPath(lockFile)
			.environment(Map.of())
			.shutdownHook(false)
			// Without them, nothing but the manager itself takes its file lock (see PausingLock).
			.directoryEvents(false)
			// Far apart, so that no later try of the background hold shows the blocker again.
			.initialBackoff(Duration.ofMinutes(1))
			.maxBackoff(Duration.ofMinutes(1))
			.build();
		PausingLock fileLock = PausingLock.installIn(this.manager, "background-waiter");
		BackgroundHold background = new BackgroundHold(this.manager, "background");

		Thread wanting = start("background-waiter", background::want);
		// Its first try has found the foreign file and shown it as the blocker.
		assertThat(fileLock.awaitPaused()).isTrue();
		assertThatExceptionOfType(UpdateLockTimeoutException.class)
			.isThrownBy(() -> this.manager.acquire("gives up", Duration.ZERO));
		fileLock.resume();
		wanting.join(TimeUnit.SECONDS.toMillis(10));

		assertThat(background.state()).isEqualTo(BackgroundHold.State.WAITING);
		UpdateLockSnapshot snapshot = this.manager.snapshot();
		assertThat(snapshot.status()).isEqualTo(UpdateLockStatus.WAITING);
		assertThat(snapshot.blocker()).isEqualTo(UpdateLockBlocker.FOREIGN);
		background.unwant();
		assertThat(lockFile).exists();
	}

	private Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		this.threads.add(thread);
		thread.start();
		return thread;
	}

	/**
	 * The manager's file lock, paused on one thread right after that thread's first unlock:
	 * there its attempt has shown the blocker, and nothing of the application's runs before
	 * the waiter is counted, so no clock or listener could hold the thread there. Installed
	 * through reflection before anything takes the lock.
	 */
	private static final class PausingLock extends ReentrantLock {

		private final String threadName;

		private final CountDownLatch paused = new CountDownLatch(1);

		private final CountDownLatch resumed = new CountDownLatch(1);

		private PausingLock(String threadName) {
			this.threadName = threadName;
		}

		static PausingLock installIn(UpdateLockManager manager, String threadName) throws ReflectiveOperationException {
			Field field = UpdateLockManager.class.getDeclaredField("fileLock");
			field.setAccessible(true);
			PausingLock lock = new PausingLock(threadName);
			field.set(manager, lock);
			return lock;
		}

		@Override
		public void unlock() {
			super.unlock();
			if (Thread.currentThread().getName().equals(this.threadName) && this.paused.getCount() > 0) {
				this.paused.countDown();
				try {
					this.resumed.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		boolean awaitPaused() throws InterruptedException {
			return this.paused.await(10, TimeUnit.SECONDS);
		}

		void resume() {
			this.resumed.countDown();
		}

	}

}
