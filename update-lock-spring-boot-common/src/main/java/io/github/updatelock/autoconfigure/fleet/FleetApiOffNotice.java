package io.github.updatelock.autoconfigure.fleet;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Says once, as the application starts, why fleet visibility is off although it is enabled:
 * the Supervisor API is not there, and neither is the balenaCloud API; one INFO line naming
 * the labels and the missing variables, or a WARN line when a variable of the balenaCloud API
 * is present but unusable (never showing the key).
 */
final class FleetApiOffNotice implements InitializingBean {

	private static final Log logger = LogFactory.getLog(FleetApiOffNotice.class);

	private static final String SUPERVISOR_LABEL = "io.balena.features.supervisor-api: '1'";

	private final Environment environment;

	FleetApiOffNotice(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		List<String> missing = FleetApiLocator.missingVariables(this.environment);
		if (!missing.isEmpty()) {
			logger.info("Fleet visibility is off: the Supervisor API is not available; give the service the label "
					+ SUPERVISOR_LABEL + " to show the update lock as device tags through the Supervisor (17.8 or "
					+ "later). Without it, tags go straight to balenaCloud, which needs " + String.join(" and ", missing)
					+ " (the label " + FleetApiLocator.LABEL + ", or " + String.join(" and ",
							FleetApiLocator.propertiesFor(missing)) + ")");
			return;
		}
		Optional<String> problem = FleetApiLocator.variableProblem(this.environment);
		problem.ifPresent((message) -> logger.warn("Fleet visibility is off: " + message
				+ "; without the Supervisor API, the update lock is not shown as device tags"));
	}

}
