package io.github.updatelock.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The bytes of the markers this process writes, exactly as {@link LockMarker#toBytes()}
 * would give them, made without building the text anew on each lock cycle.
 * <p>
 * Why: the text (a string concatenation and {@link Instant#toString()}) cost about a
 * tenth of a whole lock cycle where system calls are fast. The lines that name the
 * instance never change within a process, and the date and time change once a second;
 * both are kept from the previous call, so only the fraction of the second is written.
 */
final class MarkerBytes {

	private static final byte[] FLOCK_TRUE = "flock=true\ncreated=".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] FLOCK_FALSE = "flock=false\ncreated=".getBytes(StandardCharsets.US_ASCII);

	/** The longest ending: a nine-digit fraction, the zone and the line end. */
	private static final int MAX_ENDING = ".123456789Z\n".length();

	/** The last instance and second encoded; replaced whole, so readers see one or the other. */
	private static volatile Encoded last;

	private MarkerBytes() {
	}

	/**
	 * The marker of a file created now by this process.
	 * @param instance who writes it
	 * @param flock whether the writer holds a flock on it
	 * @param created when it was created
	 * @return the bytes to write, equal to {@code LockMarker.of(instance, flock, created).toBytes()}
	 */
	static byte[] of(LocalInstance instance, boolean flock, Instant created) {
		Encoded encoded = encoded(instance, created.getEpochSecond());
		byte[] flockLine = flock ? FLOCK_TRUE : FLOCK_FALSE;
		byte[] buffer = new byte[encoded.head.length + flockLine.length + encoded.second.length + MAX_ENDING];
		int at = append(buffer, 0, encoded.head);
		at = append(buffer, at, flockLine);
		at = append(buffer, at, encoded.second);
		at = appendFraction(buffer, at, created.getNano());
		buffer[at++] = 'Z';
		buffer[at++] = '\n';
		return (at == buffer.length) ? buffer : Arrays.copyOf(buffer, at);
	}

	private static Encoded encoded(LocalInstance instance, long epochSecond) {
		Encoded encoded = last;
		if (encoded == null || encoded.instance != instance) {
			encoded = new Encoded(instance, LockMarker.head(instance).getBytes(StandardCharsets.UTF_8), epochSecond,
					dateAndTime(epochSecond));
			last = encoded;
		}
		else if (encoded.epochSecond != epochSecond) {
			encoded = new Encoded(instance, encoded.head, epochSecond, dateAndTime(epochSecond));
			last = encoded;
		}
		return encoded;
	}

	/** {@link Instant#toString()} of a whole second, without its zone: it always shows the seconds. */
	private static byte[] dateAndTime(long epochSecond) {
		String text = Instant.ofEpochSecond(epochSecond).toString();
		return text.substring(0, text.length() - 1).getBytes(StandardCharsets.US_ASCII);
	}

	/** The fraction as {@link Instant#toString()} writes it: none, or 3, 6 or 9 digits. */
	private static int appendFraction(byte[] buffer, int at, int nanos) {
		if (nanos == 0) {
			return at;
		}
		int digits;
		int value;
		if (nanos % 1_000_000 == 0) {
			digits = 3;
			value = nanos / 1_000_000;
		}
		else if (nanos % 1_000 == 0) {
			digits = 6;
			value = nanos / 1_000;
		}
		else {
			digits = 9;
			value = nanos;
		}
		buffer[at] = '.';
		for (int i = digits; i > 0; i--) {
			buffer[at + i] = (byte) ('0' + value % 10);
			value /= 10;
		}
		return at + 1 + digits;
	}

	private static int append(byte[] buffer, int at, byte[] part) {
		System.arraycopy(part, 0, buffer, at, part.length);
		return at + part.length;
	}

	private record Encoded(LocalInstance instance, byte[] head, long epochSecond, byte[] second) {
	}

}
