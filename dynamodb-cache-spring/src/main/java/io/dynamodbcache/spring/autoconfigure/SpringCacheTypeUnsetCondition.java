package io.dynamodbcache.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code spring.cache.type} is set: an application that names a cache type (for example
 * {@code none} or {@code simple}) gets the cache manager it named from Spring Boot, not the DynamoDB one.
 */
final class SpringCacheTypeUnsetCondition extends SpringBootCondition {

	static final String PROPERTY = "spring.cache.type";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Binder.get(context.getEnvironment())
			.bind(PROPERTY, String.class)
			.map((type) -> ConditionOutcome.noMatch(PROPERTY + " is set to '" + type + "'"))
			.orElseGet(() -> ConditionOutcome.match(PROPERTY + " is not set"));
	}

}
