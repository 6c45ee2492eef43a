package io.github.updatelock.actuate.endpoint;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UpdateLockEndpointRuntimeHints}.
 */
class UpdateLockEndpointRuntimeHintsTests {

	@ParameterizedTest
	@ValueSource(classes = { UpdateLockDescriptor.class, LockFileDescriptor.class, HoldDescriptor.class,
			WarningDescriptor.class, OperatorHoldDescriptor.class, UpdateWindowDescriptor.class,
			SupervisorDescriptor.class, FleetDescriptor.class })
	void everyAnswerRecordCanBeSerializedInANativeImage(Class<?> record) {
		RuntimeHints hints = registeredHints();
		assertThat(RuntimeHintsPredicates.reflection().onType(record)).accepts(hints);
		List<String> accessors = Stream.of(record.getRecordComponents()).map(RecordComponent::getName).toList();
		assertThat(accessors).isNotEmpty()
			.allSatisfy((accessor) -> assertThat(
					RuntimeHintsPredicates.reflection().onMethodInvocation(record, accessor))
				.accepts(hints));
	}

	@Test
	void hintsAreImportedByTheEndpoint() {
		assertThat(UpdateLockEndpoint.class.getAnnotation(ImportRuntimeHints.class).value())
			.contains(UpdateLockEndpointRuntimeHints.class);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new UpdateLockEndpointRuntimeHints().registerHints(hints,
				UpdateLockEndpointRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
