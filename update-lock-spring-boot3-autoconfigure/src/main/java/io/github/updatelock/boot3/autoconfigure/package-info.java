/**
 * The auto-configurations that only the Spring Boot 3.5 line needs: those that name Boot 3.5's
 * health and metrics types. Everything else comes from {@code update-lock-spring-boot-common}.
 */
@NullMarked
package io.github.updatelock.boot3.autoconfigure;

import org.jspecify.annotations.NullMarked;
