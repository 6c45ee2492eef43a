package io.github.updatelock.actuate.endpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Lets a native image serialize the {@link UpdateLockEndpoint}'s answers: JSON binding
 * reads the records' accessors by reflection.
 */
class UpdateLockEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), UpdateLockDescriptor.class,
				LockFileDescriptor.class, HoldDescriptor.class, WarningDescriptor.class, OperatorHoldDescriptor.class,
				UpdateWindowDescriptor.class, SupervisorDescriptor.class, FleetDescriptor.class);
	}

}
