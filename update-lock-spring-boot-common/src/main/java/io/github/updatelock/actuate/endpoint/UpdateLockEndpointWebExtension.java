package io.github.updatelock.actuate.endpoint;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Gives the {@link UpdateLockEndpoint}'s write operations HTTP status codes: 200 when the
 * request did what was asked (or it was already done), 400 for malformed input, 404 for
 * an unknown hold, 409 when the state of the lock (or the number of operator holds) does
 * not allow the request. The body is always an {@link OperatorHoldDescriptor} with a
 * message, also for errors.
 */
@EndpointWebExtension(endpoint = UpdateLockEndpoint.class)
public class UpdateLockEndpointWebExtension {

	/** Not among {@link WebEndpointResponse}'s constants. */
	static final int STATUS_CONFLICT = 409;

	private final UpdateLockEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint that does the work
	 */
	public UpdateLockEndpointWebExtension(UpdateLockEndpoint delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
	}

	/**
	 * Takes an operator hold; see {@link UpdateLockEndpoint#takeHold(String, String, String)}.
	 * @param name the hold's name
	 * @param wait how long to wait, or {@code null} for not at all
	 * @param ttl after how long the hold ends by itself, or {@code null} for never
	 * @return the answer with its status code
	 */
	@WriteOperation
	public WebEndpointResponse<OperatorHoldDescriptor> takeHold(@Selector String name,
			@org.springframework.lang.Nullable @Nullable String wait,
			@org.springframework.lang.Nullable @Nullable String ttl) {
		return respond(this.delegate.takeHold(name, wait, ttl));
	}

	/**
	 * Releases an operator hold; see {@link UpdateLockEndpoint#releaseHold(String)}.
	 * @param name the hold's name
	 * @return the answer with its status code
	 */
	@DeleteOperation
	public WebEndpointResponse<OperatorHoldDescriptor> releaseHold(@Selector String name) {
		return respond(this.delegate.releaseHold(name));
	}

	private static WebEndpointResponse<OperatorHoldDescriptor> respond(OperatorHoldDescriptor answer) {
		return new WebEndpointResponse<>(answer, statusOf(answer.outcome()));
	}

	static int statusOf(OperatorHoldOutcome outcome) {
		return switch (outcome) {
			case TAKEN, ALREADY_HELD, RELEASED -> WebEndpointResponse.STATUS_OK;
			case BLOCKED, UNAVAILABLE, REFUSED, LIMIT_REACHED -> STATUS_CONFLICT;
			case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
			case INVALID -> WebEndpointResponse.STATUS_BAD_REQUEST;
		};
	}

}
