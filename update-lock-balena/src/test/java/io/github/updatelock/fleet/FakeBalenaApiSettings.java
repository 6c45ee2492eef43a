package io.github.updatelock.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import io.github.updatelock.testsupport.FakeBalenaApi;

/**
 * Client settings for a {@link FakeBalenaApi}. Short timeouts: every test talks to loopback
 * and must stay fast even when it times out.
 */
final class FakeBalenaApiSettings {

	private FakeBalenaApiSettings() {
	}

	static BalenaApiSettings of(FakeBalenaApi api) {
		return of(api.uri(), FakeBalenaApi.KEY, FakeBalenaApi.DEVICE_UUID);
	}

	static BalenaApiSettings of(URI uri, String key, String uuid) {
		return BalenaApiSettings.of(uri, key, uuid)
			.withConnectTimeout(Duration.ofMillis(500))
			.withRequestTimeout(Duration.ofMillis(500));
	}

	/** An address where nothing listens: the port was free a moment ago. */
	static URI closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return URI.create("http://127.0.0.1:" + socket.getLocalPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
