package io.github.updatelock.actuate.endpoint;

import java.util.Objects;

import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Gives the {@link ForceUpdateEndpoint}'s answer an HTTP status code: 200 when the
 * Supervisor took the request (whether it applies the update now or ignores it), 502 when
 * it refused the request or gave no usable answer. The body is always a
 * {@link ForceUpdateDescriptor} with a message, also for errors.
 */
@EndpointWebExtension(endpoint = ForceUpdateEndpoint.class)
public class ForceUpdateEndpointWebExtension {

	/** Not among {@link WebEndpointResponse}'s constants. */
	static final int STATUS_BAD_GATEWAY = 502;

	private final ForceUpdateEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint that does the work
	 */
	public ForceUpdateEndpointWebExtension(ForceUpdateEndpoint delegate) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
	}

	/**
	 * Asks the Supervisor to apply its update now; see {@link ForceUpdateEndpoint#forceUpdate()}.
	 * @return the answer with its status code
	 */
	@WriteOperation
	public WebEndpointResponse<ForceUpdateDescriptor> forceUpdate() {
		ForceUpdateDescriptor answer = this.delegate.forceUpdate();
		return new WebEndpointResponse<>(answer, statusOf(answer.outcome()));
	}

	static int statusOf(ForceUpdateOutcome outcome) {
		return switch (outcome) {
			case UPDATE_TRIGGERED, UPDATE_IGNORED -> WebEndpointResponse.STATUS_OK;
			case UPDATE_REFUSED, SUPERVISOR_UNAVAILABLE -> STATUS_BAD_GATEWAY;
		};
	}

}
