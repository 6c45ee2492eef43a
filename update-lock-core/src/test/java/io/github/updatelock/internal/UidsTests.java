package io.github.updatelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UidsTests {

	@TempDir
	Path directory;

	@Test
	void effectiveUidFromProcIsTheOneLibcReports() {
		assertThat(Uids.effective()).isEqualTo(Libc.geteuid());
	}

	@Test
	void effectiveUidIsTheSecondFieldOfTheUidLine() throws IOException {
		Path status = Files.writeString(this.directory.resolve("status"),
				"Name:\tjava\nUmask:\t0022\nUid:\t1000\t65534\t1000\t1000\nGid:\t0\t0\t0\t0\n");
		assertThat(Uids.effective(status)).isEqualTo(65534);
	}

	@Test
	void effectiveUidIsUnknownWhenItCannotBeRead() throws IOException {
		assertThat(Uids.effective(this.directory.resolve("missing"))).isEqualTo(-1);
		assertThat(Uids.effective(Files.writeString(this.directory.resolve("status"), "Name:\tjava\n"))).isEqualTo(-1);
	}

	@Test
	void theSupervisorsUidCountsAsItsOwnAndRootDoesNot() {
		assertThat(Uids.countsAsSupervisors(65534)).isTrue();
		assertThat(Uids.countsAsSupervisors(0)).isFalse();
	}

}
