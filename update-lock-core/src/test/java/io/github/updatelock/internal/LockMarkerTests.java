package io.github.updatelock.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockMarkerTests {

	private final LocalInstance self = LocalInstance.current(Map.of());

	@Test
	void writtenMarkerParsesBack() {
		LockMarker marker = LockMarker.of(this.self, true, Instant.parse("2026-01-02T03:04:05Z"));
		assertThat(LockMarker.parse(marker.toBytes())).contains(marker);
	}

	@Test
	void fileWithoutOurFirstLineIsNotOurs() {
		assertThat(LockMarker.parse("0".getBytes(StandardCharsets.UTF_8))).isEmpty();
		assertThat(LockMarker.parse(new byte[0])).isEmpty();
	}

	@Test
	void truncatedMarkerIsNotOurs() {
		byte[] whole = LockMarker.of(this.self, true, Instant.now()).toBytes();
		byte[] truncated = new String(whole, StandardCharsets.UTF_8).substring(0, 60).getBytes(StandardCharsets.UTF_8);
		assertThat(LockMarker.parse(truncated)).isEmpty();
	}

	@Test
	void oversizedContentIsNotOurs() {
		byte[] whole = LockMarker.of(this.self, true, Instant.now()).toBytes();
		byte[] padded = new byte[LockMarker.MAX_LENGTH + 1];
		System.arraycopy(whole, 0, padded, 0, whole.length);
		assertThat(LockMarker.parse(padded)).isEmpty();
	}

	@Test
	void writerIsAliveWhenItIsThisVeryProcess() {
		assertThat(LockMarker.of(this.self, false, Instant.now()).writerIsGone(this.self)).isFalse();
	}

	@Test
	void writerIsGoneWhenItsProcessStartedAtAnotherTime() {
		LocalInstance restarted = new LocalInstance("other", this.self.hostname(), this.self.bootId(), this.self.pid(),
				"12345", this.self.pidNamespace());
		assertThat(LockMarker.of(restarted, false, Instant.now()).writerIsGone(this.self)).isTrue();
	}

	@Test
	void writerIsGoneWhenItsProcessNoLongerExists() {
		LocalInstance vanished = new LocalInstance("other", this.self.hostname(), this.self.bootId(), Integer.MAX_VALUE,
				"12345", this.self.pidNamespace());
		assertThat(LockMarker.of(vanished, false, Instant.now()).writerIsGone(this.self)).isTrue();
	}

	@Test
	void writerInAnotherContainerOrBootIsNeverJudgedGone() {
		LocalInstance elsewhere = new LocalInstance("other", "another-host", this.self.bootId(), Integer.MAX_VALUE, "1",
				this.self.pidNamespace());
		LocalInstance earlierBoot = new LocalInstance("other", this.self.hostname(), "another-boot", Integer.MAX_VALUE,
				"1", this.self.pidNamespace());
		assertThat(LockMarker.of(elsewhere, false, Instant.now()).writerIsGone(this.self)).isFalse();
		assertThat(LockMarker.of(earlierBoot, false, Instant.now()).writerIsGone(this.self)).isFalse();
	}

	@Test
	void writerInAnotherPidNamespaceIsNeverJudgedGone() {
		// network_mode: host: same hostname and boot, but the PID means another process here.
		LocalInstance otherNamespace = new LocalInstance("other", this.self.hostname(), this.self.bootId(),
				Integer.MAX_VALUE, "1", "pid:[1]");
		LocalInstance unknownNamespace = new LocalInstance("other", this.self.hostname(), this.self.bootId(),
				Integer.MAX_VALUE, "1", LocalInstance.UNKNOWN);
		assertThat(LockMarker.of(otherNamespace, false, Instant.now()).writerIsGone(this.self)).isFalse();
		assertThat(LockMarker.of(unknownNamespace, false, Instant.now()).writerIsGone(this.self)).isFalse();
	}

	@Test
	void markerOfAVersionWithoutThePidNamespaceIsStillOursButNeverJudgedGoneWithoutFlock() {
		String older = LockMarker.FIRST_LINE + "\ninstance=old\nhostname=" + this.self.hostname() + "\nboot-id="
				+ this.self.bootId() + "\npid=" + Integer.MAX_VALUE + "\nprocess-start=1\nflock=true\ncreated="
				+ Instant.now() + "\n";
		assertThat(LockMarker.parse(older.getBytes(StandardCharsets.UTF_8))).hasValueSatisfying((marker) -> {
			assertThat(marker.pidNamespace()).isEqualTo(LocalInstance.UNKNOWN);
			assertThat(marker.writerIsGone(this.self)).isFalse();
		});
	}

	@Test
	void thisProcessKnowsItsPidNamespace() {
		assertThat(this.self.pidNamespace()).matches("pid:\\[\\d+\\]");
	}

}
