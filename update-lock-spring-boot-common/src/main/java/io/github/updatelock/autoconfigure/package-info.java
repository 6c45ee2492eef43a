/**
 * Spring Boot auto-configuration of the balenaOS update lock: {@code update-lock.*}
 * properties, the manager bean, the startup hold, orderly shutdown, application events and
 * failure analysis.
 */
@NullMarked
package io.github.updatelock.autoconfigure;

import org.jspecify.annotations.NullMarked;
