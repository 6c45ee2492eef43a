package io.github.updatelock.autoconfigure.window;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one {@code update-lock.window.ranges[i]} is configured. A list
 * cannot be tested with {@code @ConditionalOnProperty}: any of a range's keys may come first.
 */
class OnUpdateWindowRangesCondition extends SpringBootCondition {

	private static final String RANGES = "update-lock.window.ranges";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Update window ranges");
		int count = Binder.get(context.getEnvironment())
			.bind(RANGES, Bindable.listOf(UpdateWindowProperties.Range.class))
			.map(List::size)
			.orElse(0);
		if (count == 0) {
			return ConditionOutcome.noMatch(message.didNotFind("property").items(RANGES));
		}
		return ConditionOutcome.match(message.found("ranges").items(count));
	}

}
