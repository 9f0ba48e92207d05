package io.dynamodbcache.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when any cache has a near cache: {@code dynamodb.cache.near-cache.enabled}, or
 * {@code dynamodb.cache.caches.<name>.near-cache} for one cache.
 */
final class NearCacheInUseCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		DynamoDbCacheProperties properties = Binder.get(context.getEnvironment())
			.bind("dynamodb.cache", DynamoDbCacheProperties.class)
			.orElseGet(DynamoDbCacheProperties::new);
		return properties.isNearCacheInUse() ? ConditionOutcome.match("a cache has a near cache")
				: ConditionOutcome.noMatch("no cache has a near cache");
	}

}
