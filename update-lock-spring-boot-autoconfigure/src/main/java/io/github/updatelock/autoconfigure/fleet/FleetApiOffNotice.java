package io.github.updatelock.autoconfigure.fleet;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Says once, as the application starts, why fleet visibility is off although it is enabled:
 * one INFO line naming the missing variables and the service label that brings them, or a
 * WARN line when a variable is present but unusable (never showing the key).
 */
final class FleetApiOffNotice implements InitializingBean {

	private static final Log logger = LogFactory.getLog(FleetApiOffNotice.class);

	private final Environment environment;

	FleetApiOffNotice(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		List<String> missing = FleetApiLocator.missingVariables(this.environment);
		if (!missing.isEmpty()) {
			logger.info("Fleet visibility is off: " + String.join(" and ", missing)
					+ ((missing.size() == 1) ? " is" : " are") + " not set; give the service the label "
					+ FleetApiLocator.LABEL + " to show the update lock as balenaCloud device tags (or set "
					+ String.join(" and ", FleetApiLocator.propertiesFor(missing)) + ")");
			return;
		}
		Optional<String> problem = FleetApiLocator.variableProblem(this.environment);
		problem.ifPresent((message) -> logger.warn("Fleet visibility is off: " + message
				+ "; the update lock is not shown as balenaCloud device tags"));
	}

}
