package io.github.updatelock.autoconfigure.supervisor;

import java.util.List;
import java.util.Optional;

import io.github.updatelock.supervisor.SupervisorApiSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Says once, as the application starts, why Supervisor API awareness is off: one INFO
 * line naming the missing variables and the service label that brings them, or a WARN
 * line when a variable is present but unusable.
 */
final class SupervisorApiOffNotice implements InitializingBean {

	private static final Log logger = LogFactory.getLog(SupervisorApiOffNotice.class);

	private final Environment environment;

	SupervisorApiOffNotice(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		Optional<SupervisorApiSettings> settings;
		try {
			settings = SupervisorApiLocator.fromVariables(this.environment);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Supervisor API awareness is off: " + ex.getMessage()
					+ "; pending updates are not reported (or set " + SupervisorApiLocator.ADDRESS_PROPERTY + " and "
					+ SupervisorApiLocator.API_KEY_PROPERTY + ")");
			return;
		}
		if (settings.isEmpty()) {
			List<String> missing = SupervisorApiLocator.missingVariables(this.environment);
			logger.info("Supervisor API awareness is off: " + String.join(" and ", missing)
					+ ((missing.size() == 1) ? " is" : " are") + " not set; give the service the label "
					+ "io.balena.features.supervisor-api: '1' to see pending updates (or set "
					+ SupervisorApiLocator.ADDRESS_PROPERTY + " and " + SupervisorApiLocator.API_KEY_PROPERTY + ")");
		}
	}

}
