/**
 * Tests that keep the documentation in step with the code.
 */
package io.github.updatelock.docs;
