package io.github.updatelock.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding each Java uses: the Foreign Function &amp; Memory API from Java 22 on (when
 * the build compiled it, which a JDK 22+ build does), JNA before.
 */
class NativeAccessTests {

	@Test
	void bindsLibcThroughFfmFromJava22AndThroughJnaBefore() {
		String expected = (Runtime.version().feature() >= 22) ? "FFM" : "JNA";
		assertThat(NativeAccess.loadFailure()).as("load failure").isNull();
		assertThat(NativeAccess.binding()).as("binding on Java " + Runtime.version()).isEqualTo(expected);
		assertThat(NativeAccess.calls().name()).isEqualTo(expected);
	}

	@Test
	void bothBindingsReportErrnoTheSameWay() {
		byte[] missing = NativePath.cString("/proc/self/no-such-entry");
		for (NativeCalls calls : bindings()) {
			try {
				calls.unlink(missing);
				throw new AssertionError(calls.name() + " unlinked a missing entry");
			}
			catch (ErrnoException ex) {
				assertThat(ex.errno()).as(calls.name() + " errno").isEqualTo(Libc.ENOENT);
				assertThat(ex.getMessage()).as(calls.name() + " message").contains("[2]");
			}
			assertThat(calls.geteuid()).as(calls.name() + " euid").isEqualTo(Uids.effective());
		}
	}

	/** JNA, and on Java 22 and later also the FFM binding that the process uses. */
	private static java.util.List<NativeCalls> bindings() {
		NativeCalls jna = new JnaNativeCalls();
		NativeCalls used = NativeAccess.calls();
		return used.name().equals(jna.name()) ? java.util.List.of(jna) : java.util.List.of(jna, used);
	}

}
