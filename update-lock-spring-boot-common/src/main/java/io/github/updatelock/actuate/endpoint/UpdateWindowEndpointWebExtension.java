package io.github.updatelock.actuate.endpoint;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Gives the {@link UpdateWindowEndpoint}'s write operation HTTP status codes: 200 when the
 * request did what was asked (or it was already done), 400 for malformed input. The body
 * is always an {@link UpdateWindowActionDescriptor} with a message, also for errors.
 */
@EndpointWebExtension(endpoint = UpdateWindowEndpoint.class)
public class UpdateWindowEndpointWebExtension {

	private final UpdateWindowEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint that does the work
	 */
	public UpdateWindowEndpointWebExtension(UpdateWindowEndpoint delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
	}

	/**
	 * Opens or closes an operator window; see
	 * {@link UpdateWindowEndpoint#changeWindow(String, String)}.
	 * @param action {@code open} or {@code close}
	 * @param duration for {@code open}, how long the window stays open
	 * @return the answer with its status code
	 */
	@WriteOperation
	public WebEndpointResponse<UpdateWindowActionDescriptor> changeWindow(@Selector String action,
			@org.springframework.lang.Nullable @Nullable String duration) {
		UpdateWindowActionDescriptor answer = this.delegate.changeWindow(action, duration);
		return new WebEndpointResponse<>(answer, statusOf(answer.outcome()));
	}

	static int statusOf(UpdateWindowActionOutcome outcome) {
		return switch (outcome) {
			case WINDOW_OPENED, WINDOW_CLOSED, NO_OPERATOR_WINDOW -> WebEndpointResponse.STATUS_OK;
			case INVALID -> WebEndpointResponse.STATUS_BAD_REQUEST;
		};
	}

}
