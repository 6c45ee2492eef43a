/**
 * A minimal Spring Boot web application for measuring the starter's effect on startup.
 */
package io.github.updatelock.benchmarks.startup;
