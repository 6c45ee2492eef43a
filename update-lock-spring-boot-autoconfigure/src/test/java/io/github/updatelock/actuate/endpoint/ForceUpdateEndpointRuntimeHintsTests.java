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
 * Tests for {@link ForceUpdateEndpointRuntimeHints}.
 */
class ForceUpdateEndpointRuntimeHintsTests {

	@ParameterizedTest
	@ValueSource(classes = { ForceUpdateDescriptor.class })
	void everyAnswerRecordCanBeSerializedInANativeImage(Class<?> record) {
		RuntimeHints hints = new RuntimeHints();
		new ForceUpdateEndpointRuntimeHints().registerHints(hints, ForceUpdateEndpointRuntimeHintsTests.class.getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(record)).accepts(hints);
		List<String> accessors = Stream.of(record.getRecordComponents()).map(RecordComponent::getName).toList();
		assertThat(accessors).isNotEmpty()
			.allSatisfy((accessor) -> assertThat(
					RuntimeHintsPredicates.reflection().onMethodInvocation(record, accessor))
				.accepts(hints));
	}

	@Test
	void hintsAreImportedByTheEndpoint() {
		assertThat(ForceUpdateEndpoint.class.getAnnotation(ImportRuntimeHints.class).value())
			.contains(ForceUpdateEndpointRuntimeHints.class);
	}

}
