/**
 * JMH benchmarks of the update lock, each measured next to a baseline in the same run.
 */
package io.github.updatelock.benchmarks;
