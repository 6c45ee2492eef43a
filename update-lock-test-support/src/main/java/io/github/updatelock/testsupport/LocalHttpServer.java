package io.github.updatelock.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The real HTTP server behind the fakes of this module: the JDK's server on a free port of
 * the loopback address, each exchange on a daemon thread of its own, so that an answer held
 * back by a test never keeps another from being served, nor the JVM from ending.
 */
final class LocalHttpServer implements AutoCloseable {

	/** A held-back answer waits at most this long, so that a forgotten release cannot hang the build. */
	private static final long MAX_STALL_SECONDS = 20;

	private final HttpServer server;

	private final ExecutorService executor;

	private LocalHttpServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts a server that hands every request to one handler.
	 * @param threadName the name of the threads that serve the exchanges
	 * @param handler what answers
	 * @return the running server
	 * @throws IOException if no port can be had
	 */
	static LocalHttpServer start(String threadName, HttpHandler handler) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		ExecutorService executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		server.createContext("/", handler);
		server.start();
		return new LocalHttpServer(server, executor);
	}

	/**
	 * The base address.
	 * @return such as {@code http://127.0.0.1:41234}
	 */
	String address() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Holds an answer back until the latch opens, or {@value #MAX_STALL_SECONDS} seconds pass.
	 * @param latch opened by the test
	 */
	static void awaitRelease(CountDownLatch latch) {
		try {
			latch.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
