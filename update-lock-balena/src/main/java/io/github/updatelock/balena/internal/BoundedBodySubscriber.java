package io.github.updatelock.balena.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an answer's body up to a limit, so that a broken or hostile peer behind an
 * API's address cannot make us buffer without end. Over the limit the download is
 * cancelled and the body fails with an {@link AnswerTooLargeException}.
 */
public final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

	private final int limit;

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

	private final CompletableFuture<byte[]> body = new CompletableFuture<>();

	private Flow.Subscription subscription;

	/**
	 * Creates a subscriber for one answer.
	 * @param limit the most bytes the body may have
	 */
	public BoundedBodySubscriber(int limit) {
		this.limit = limit;
	}

	@Override
	public CompletionStage<byte[]> getBody() {
		return this.body;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		if (this.body.isDone()) {
			return;
		}
		for (ByteBuffer item : items) {
			if (this.buffer.size() + item.remaining() > this.limit) {
				this.subscription.cancel();
				this.body.completeExceptionally(new AnswerTooLargeException(this.limit));
				return;
			}
			byte[] bytes = new byte[item.remaining()];
			item.get(bytes);
			this.buffer.write(bytes, 0, bytes.length);
		}
	}

	@Override
	public void onError(Throwable throwable) {
		this.body.completeExceptionally(throwable);
	}

	@Override
	public void onComplete() {
		this.body.complete(this.buffer.toByteArray());
	}

	/**
	 * The answer was larger than the limit.
	 */
	public static final class AnswerTooLargeException extends IOException {

		private static final long serialVersionUID = 1L;

		AnswerTooLargeException(int limit) {
			super("answer larger than " + limit + " bytes");
		}

	}

}
