package io.github.updatelock.boot3

import io.github.updatelock.UpdateLockManager
import io.github.updatelock.aop.HoldUpdateLock
import io.github.updatelock.testsupport.LockPeers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.springframework.boot.SpringApplication
import org.springframework.boot.WebApplicationType
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.context.ConfigurableApplicationContext
import org.springframework.context.annotation.Bean
import java.nio.file.Path
import java.time.Duration

/**
 * `@HoldUpdateLock` on Kotlin `suspend` functions and on functions returning a `Flow`, on
 * Spring Boot 3.5 (Spring Framework 6.2's coroutine support): the lock file and its flock
 * exist across the body's suspensions, and are gone once it ends.
 */
class Boot3SuspendingHoldTests {

	@TempDir
	lateinit var directory: Path

	@Test
	fun suspendFunctionHoldsTheLockAcrossItsSuspensions() {
		val lockFile = directory.resolve("updates.lock")
		run(lockFile).use { context ->
			val service = context.getBean(CoroutineService::class.java)
			val seen = runBlocking {
				service.suspending {
					yield()
					LockPeers.hostOsProbeFindsLockBusy(lockFile)
				}
			}
			assertThat(seen).isTrue()
			awaitReleased(context, lockFile)
		}
	}

	@Test
	fun flowHoldsTheLockWhileItIsCollected() {
		val lockFile = directory.resolve("updates.lock")
		run(lockFile).use { context ->
			val service = context.getBean(CoroutineService::class.java)
			val seen = runBlocking {
				service.flow {
					flow {
						emit(LockPeers.hostOsProbeFindsLockBusy(lockFile))
						yield()
						emit(LockPeers.hostOsProbeFindsLockBusy(lockFile))
					}
				}.toList()
			}
			assertThat(seen).containsExactly(true, true)
			awaitReleased(context, lockFile)
		}
	}

	private fun run(lockFile: Path): ConfigurableApplicationContext {
		val application = SpringApplication(CoroutineApplication::class.java)
		application.setWebApplicationType(WebApplicationType.NONE)
		return application.run("--update-lock.path=$lockFile")
	}

	private fun awaitReleased(context: ConfigurableApplicationContext, lockFile: Path) {
		val manager = context.getBean(UpdateLockManager::class.java)
		await().atMost(Duration.ofSeconds(10)).until { manager.snapshot().holds().isEmpty() }
		assertThat(lockFile).doesNotExist()
	}

	@SpringBootApplication(proxyBeanMethods = false)
	open class CoroutineApplication {

		@Bean
		open fun coroutineService() = CoroutineService()

	}

	open class CoroutineService {

		@HoldUpdateLock("suspending")
		open suspend fun <T> suspending(body: suspend () -> T): T = body()

		@HoldUpdateLock("flow")
		open fun flow(body: () -> Flow<Boolean>): Flow<Boolean> = body()

	}

}
