package io.github.updatelock.autoconfigure.supervisor;

import java.util.Optional;

import io.github.updatelock.supervisor.SupervisorApiSettings;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the Supervisor API can be used: an address or key is configured as a
 * property (whatever is missing then fails startup), or the Supervisor's variables are
 * present and usable. Unusable variables do not match: a bad environment must not stop an
 * application that never asked for the feature.
 */
class OnSupervisorApiCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Supervisor API");
		if (SupervisorApiLocator.isExplicit(context.getEnvironment())) {
			return ConditionOutcome.match(message.found("property")
				.items(SupervisorApiLocator.ADDRESS_PROPERTY, SupervisorApiLocator.API_KEY_PROPERTY));
		}
		Optional<SupervisorApiSettings> settings;
		try {
			settings = SupervisorApiLocator.fromVariables(context.getEnvironment());
		}
		catch (IllegalArgumentException ex) {
			return ConditionOutcome.noMatch(message.because(ex.getMessage()));
		}
		if (settings.isEmpty()) {
			return ConditionOutcome.noMatch(message.didNotFind("variable", "variables")
				.items(SupervisorApiLocator.missingVariables(context.getEnvironment())));
		}
		return ConditionOutcome.match(message.found("address").items(settings.get().address()));
	}

}
