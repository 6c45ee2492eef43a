package io.github.updatelock.actuate.endpoint;

import java.net.URI;
import java.time.Duration;

import io.github.updatelock.supervisor.SupervisorApiSettings;
import io.github.updatelock.supervisor.SupervisorClient;
import io.github.updatelock.testsupport.FakeSupervisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ForceUpdateEndpoint}, called directly on a real client talking to a
 * local server that answers like the Supervisor.
 */
class ForceUpdateEndpointTests {

	private final FakeSupervisor supervisor = FakeSupervisor.start();

	@AfterEach
	void stopSupervisor() {
		this.supervisor.close();
	}

	private ForceUpdateEndpoint endpoint(String key) {
		return new ForceUpdateEndpoint(
				new SupervisorClient(SupervisorApiSettings.of(URI.create(this.supervisor.address()), key)
					.withRequestTimeout(Duration.ofMillis(500))));
	}

	@Test
	void forceUpdateThatTheSupervisorStartsAnswers204AsSent() {
		ForceUpdateDescriptor answer = endpoint(FakeSupervisor.KEY).forceUpdate();
		assertThat(answer.outcome()).isEqualTo(ForceUpdateOutcome.UPDATE_TRIGGERED);
		assertThat(answer.supervisorStatus()).isEqualTo(204);
		assertThat(answer.supervisorBody()).isEmpty();
		assertThat(answer.message()).contains("overriding every update lock, this application's included");
		assertThat(this.supervisor.requests("/v1/update")).isOne();
	}

	@Test
	void forceUpdateThatTheSupervisorIgnoresAnswers202AsSent() {
		this.supervisor.instantUpdates(false);
		ForceUpdateDescriptor answer = endpoint(FakeSupervisor.KEY).forceUpdate();
		assertThat(answer.outcome()).isEqualTo(ForceUpdateOutcome.UPDATE_IGNORED);
		assertThat(answer.supervisorStatus()).isEqualTo(202);
	}

	@Test
	void forceUpdateWithAWrongKeyPassesThe401On() {
		ForceUpdateDescriptor answer = endpoint("regenerated-meanwhile").forceUpdate();
		assertThat(answer.outcome()).isEqualTo(ForceUpdateOutcome.UPDATE_REFUSED);
		assertThat(answer.supervisorStatus()).isEqualTo(401);
		assertThat(answer.supervisorBody()).isEqualTo("Unauthorized");
		assertThat(answer.message()).contains("the Supervisor refused the API key (HTTP 401)")
			.doesNotContain("regenerated-meanwhile");
	}

	@Test
	void forceUpdateRefusedByALockPassesThe423BodyOnAsSent() {
		String body = "{\"status\":\"failed\",\"message\":\"Updates are locked: locks found for service worker\"}";
		this.supervisor.reply("/v1/update", 423, body);
		ForceUpdateDescriptor answer = endpoint(FakeSupervisor.KEY).forceUpdate();
		assertThat(answer.outcome()).isEqualTo(ForceUpdateOutcome.UPDATE_REFUSED);
		assertThat(answer.supervisorStatus()).isEqualTo(423);
		assertThat(answer.supervisorBody()).isEqualTo(body);
		assertThat(answer.message()).endsWith("refused by an update lock (HTTP 423): Updates are locked: locks found "
				+ "for service worker");
	}

	@Test
	void forceUpdateWithoutAnAnswerIsShownNotThrown() {
		this.supervisor.stallAnswers();
		ForceUpdateDescriptor answer = endpoint(FakeSupervisor.KEY).forceUpdate();
		assertThat(answer.outcome()).isEqualTo(ForceUpdateOutcome.SUPERVISOR_UNAVAILABLE);
		assertThat(answer.supervisorStatus()).isNull();
		assertThat(answer.supervisorBody()).isNull();
		assertThat(answer.message()).isEqualTo("Supervisor API POST /v1/update: no answer within 500 ms");
	}

}
