package io.github.updatelock.aop

import io.github.updatelock.UpdateLockManager
import io.github.updatelock.UpdateLockStatus
import io.github.updatelock.autoconfigure.UpdateLockAutoConfiguration
import io.github.updatelock.event.UpdateLockEvent
import io.github.updatelock.event.UpdateLockHoldReleasedEvent
import io.github.updatelock.testsupport.LockPeers
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatIllegalStateException
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.assertj.AssertableApplicationContext
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.event.EventListener
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/**
 * `@HoldUpdateLock` on Kotlin `suspend` functions and on functions returning a `Flow`:
 * the body runs inside the hold, once per call or collection, and a skipped call never runs it.
 */
class SuspendingHoldUpdateLockTests {

	private val contextRunner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UpdateLockAutoConfiguration::class.java))
		.withBean(CoroutineService::class.java)
		.withBean(SkipRecorder::class.java)

	@TempDir
	lateinit var tempDir: Path

	private fun freeLockFile(): Path = tempDir.resolve("updates.lock")

	private fun withLockFile(lockFile: Path) = contextRunner.withPropertyValues("update-lock.path=$lockFile")

	private fun recordManagerEvents(context: AssertableApplicationContext): List<UpdateLockEvent> {
		val events = CopyOnWriteArrayList<UpdateLockEvent>()
		context.getBean(UpdateLockManager::class.java).addListener { events.add(it) }
		return events
	}

	private fun releasesOf(events: List<UpdateLockEvent>, holdName: String) =
		events.count { it is UpdateLockHoldReleasedEvent && it.hold().name() == holdName }

	@Test
	fun suspendFunctionRunsInsideTheHoldAcrossItsSuspensions() {
		val lockFile = freeLockFile()
		withLockFile(lockFile).run { context ->
			val manager = context.getBean(UpdateLockManager::class.java)
			val service = context.getBean(CoroutineService::class.java)
			val statuses = CopyOnWriteArrayList<UpdateLockStatus>()
			val results = runBlocking {
				List(2) {
					service.suspending {
						statuses.add(manager.snapshot().status())
						yield()
						statuses.add(manager.snapshot().status())
						Files.exists(lockFile)
					}
				}
			}
			assertThat(results).containsExactly(true, true)
			assertThat(statuses).containsOnly(UpdateLockStatus.HELD).hasSize(4)
			assertThat(lockFile).doesNotExist()
		}
	}

	@Test
	fun suspendFunctionThatThrowsReleasesItsHold() {
		val lockFile = freeLockFile()
		withLockFile(lockFile).run { context ->
			val events = recordManagerEvents(context)
			val service = context.getBean(CoroutineService::class.java)
			assertThatIllegalStateException().isThrownBy {
				runBlocking {
					service.suspending {
						yield()
						throw IllegalStateException("thrown after a suspension")
					}
				}
			}.withMessage("thrown after a suspension")
			assertThat(lockFile).doesNotExist()
			await().untilAsserted { assertThat(releasesOf(events, "suspending")).isOne() }
		}
	}

	/**
	 * Unlike a caller's cancel of a `CompletableFuture`, cancelling the coroutine reaches the
	 * work: Spring's proxy cancels the subscription, which ends the hold at once, and the body
	 * is cancelled at its suspension point. What the body still runs after that, here a clean-up
	 * in `withContext(NonCancellable)`, runs without the hold, as the annotation documents.
	 */
	@Test
	fun cancelledCallEndsItsHoldWhileTheCancelledBodyStillCleansUp() {
		val lockFile = freeLockFile()
		withLockFile(lockFile).run { context ->
			val service = context.getBean(CoroutineService::class.java)
			val started = CompletableDeferred<Unit>()
			val cleanUp = CompletableDeferred<Unit>()
			val lockFileDuringCleanUp = CompletableDeferred<Boolean>()
			runBlocking {
				val call = launch(Dispatchers.Default) {
					service.suspending {
						started.complete(Unit)
						try {
							awaitCancellation()
						}
						finally {
							withContext(NonCancellable) {
								cleanUp.await()
								lockFileDuringCleanUp.complete(Files.exists(lockFile))
							}
						}
					}
				}
				started.await()
				assertThat(lockFile).exists()
				call.cancel()
				await().atMost(Duration.ofSeconds(5)).until { !Files.exists(lockFile) }
				cleanUp.complete(Unit)
				assertThat(withTimeout(5_000) { lockFileDuringCleanUp.await() }).isFalse()
				call.join()
			}
		}
	}

	@Test
	fun skippedSuspendFunctionReturnsNullWithoutRunning() {
		val lockFile = LockPeers.lockDirectory(tempDir).resolve("updates.lock")
		LockPeers.takeSupervisorLock(lockFile)
		withLockFile(lockFile).withPropertyValues("update-lock.acquire-timeout=0s").run { context ->
			val service = context.getBean(CoroutineService::class.java)
			val calls = AtomicInteger()
			val result = runBlocking { service.skipping { calls.incrementAndGet() } }
			assertThat(result).isNull()
			assertThat(calls).hasValue(0)
			assertThat(context.getBean(SkipRecorder::class.java).events).containsExactly(
				HoldUpdateLockSkippedEvent("skipping", CoroutineService::class.java.name + "#skipping"))
		}
	}

	@Test
	fun flowIsHeldWhileCollectedAndBuiltOncePerCollection() {
		val lockFile = freeLockFile()
		withLockFile(lockFile).run { context ->
			val events = recordManagerEvents(context)
			val service = context.getBean(CoroutineService::class.java)
			val calls = AtomicInteger()
			val flow = service.flow {
				UpdateLockAssert.assertHeld()
				calls.incrementAndGet()
				flow {
					emit(Files.exists(lockFile))
					yield()
					emit(Files.exists(lockFile))
				}
			}
			assertThat(calls).hasValue(0)
			assertThat(runBlocking { flow.toList() }).containsExactly(true, true)
			assertThat(runBlocking { flow.toList() }).containsExactly(true, true)
			assertThat(calls).hasValue(2)
			assertThat(lockFile).doesNotExist()
			await().untilAsserted { assertThat(releasesOf(events, "flow")).isEqualTo(2) }
		}
	}

	open class CoroutineService {

		@HoldUpdateLock("suspending")
		open suspend fun <T> suspending(body: suspend () -> T): T = body()

		@HoldUpdateLock(name = "skipping", ifNotObtained = LockNotObtainedPolicy.SKIP)
		open suspend fun skipping(body: suspend () -> Int): Int? = body()

		@HoldUpdateLock("flow")
		open fun flow(body: () -> Flow<Boolean>): Flow<Boolean> = body()

	}

	class SkipRecorder {

		val events = CopyOnWriteArrayList<HoldUpdateLockSkippedEvent>()

		@EventListener
		fun on(event: HoldUpdateLockSkippedEvent) {
			events.add(event)
		}

	}

}
