package io.github.updatelock.autoconfigure.fleet;

import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the balenaCloud API address, the device key and the device's uuid are each
 * known from its property or its variable. An unusable variable does not match: fleet
 * visibility only shows the lock, so a bad environment must not stop the application; an
 * unusable property matches and fails startup, naming the property.
 */
class OnFleetApiCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("balenaCloud API");
		List<String> missing = FleetApiLocator.missingVariables(context.getEnvironment());
		if (!missing.isEmpty()) {
			return ConditionOutcome.noMatch(message.didNotFind("variable", "variables").items(missing));
		}
		Optional<String> problem = FleetApiLocator.variableProblem(context.getEnvironment());
		if (problem.isPresent()) {
			return ConditionOutcome.noMatch(message.because(problem.get()));
		}
		return ConditionOutcome.match(message.available("address, device key and device uuid"));
	}

}
