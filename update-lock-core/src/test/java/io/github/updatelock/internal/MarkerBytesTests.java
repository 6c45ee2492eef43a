package io.github.updatelock.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast marker is byte for byte the marker {@link LockMarker#toBytes()} writes, whatever
 * the instant, the flock and the instance, and however calls follow one another.
 */
class MarkerBytesTests {

	private final LocalInstance self = LocalInstance.current(Map.of());

	@Test
	void sameBytesAsTheMarkerForEveryShapeOfFraction() {
		Instant second = Instant.parse("2026-12-02T21:40:00Z");
		for (int nanos : List.of(0, 1, 10, 999_999_999, 5_000_000, 120_000_000, 123_456_000, 7_000, 100_000_100)) {
			assertSameAsTheMarker(this.self, second.plusNanos(nanos), true);
			assertSameAsTheMarker(this.self, second.plusNanos(nanos), false);
		}
	}

	@Test
	void sameBytesAsTheMarkerAcrossSecondsMinutesYearsAndBackInTime() {
		Random random = new Random(20261202);
		for (int i = 0; i < 10_000; i++) {
			Instant created = Instant.ofEpochSecond(random.nextInt(4_000_000) * 1_000L + random.nextInt(3),
					(random.nextInt(4) == 0) ? 0 : random.nextInt(1_000_000_000));
			assertSameAsTheMarker(this.self, created, random.nextBoolean());
		}
		assertSameAsTheMarker(this.self, Instant.EPOCH, true);
		assertSameAsTheMarker(this.self, Instant.parse("+12026-01-01T00:00:00.5Z"), true);
	}

	@Test
	void anotherInstanceGetsItsOwnLines() {
		Instant created = Instant.parse("2026-12-02T21:40:25.5Z");
		LocalInstance other = new LocalInstance("other", "höst-ü", this.self.bootId(), 42, "7", "unknown");
		assertSameAsTheMarker(this.self, created, true);
		assertSameAsTheMarker(other, created, true);
		assertSameAsTheMarker(this.self, created, true);
	}

	private static void assertSameAsTheMarker(LocalInstance instance, Instant created, boolean flock) {
		byte[] expected = LockMarker.of(instance, flock, created).toBytes();
		assertThat(LockMarker.bytes(instance, flock, created)).as("marker of %s", created).isEqualTo(expected);
	}

}
