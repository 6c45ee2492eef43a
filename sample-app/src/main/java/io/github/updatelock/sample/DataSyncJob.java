package io.github.updatelock.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.updatelock.aop.HoldUpdateLock;
import io.github.updatelock.aop.LockNotObtainedPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Uploads the device's sensor readings every {@code sample.data-sync.interval}.
 * <p>
 * A sync is worth protecting but not worth waiting for: when the lock is taken (the
 * Supervisor is applying an update), the run is skipped at once and the next one catches
 * up, instead of a scheduler thread waiting on the update.
 */
@Component
public class DataSyncJob {

	private static final Log logger = LogFactory.getLog(DataSyncJob.class);

	private static final Duration UPLOAD_TIME = Duration.ofMillis(200);

	private final SimulatedWork work;

	private final AtomicLong syncs = new AtomicLong();

	public DataSyncJob(SimulatedWork work) {
		this.work = work;
	}

	/**
	 * Uploads the readings gathered since the last sync.
	 */
	@Scheduled(initialDelayString = "${sample.data-sync.interval}", fixedDelayString = "${sample.data-sync.interval}")
	@HoldUpdateLock(name = "data-sync", maxWait = "0", ifNotObtained = LockNotObtainedPolicy.SKIP)
	public void sync() {
		if (this.work.run(UPLOAD_TIME)) {
			logger.info("Data sync #" + this.syncs.incrementAndGet() + " uploaded the latest readings");
		}
	}

	/**
	 * How many syncs ran to the end.
	 * @return the count since startup
	 */
	public long completedSyncs() {
		return this.syncs.get();
	}

}
