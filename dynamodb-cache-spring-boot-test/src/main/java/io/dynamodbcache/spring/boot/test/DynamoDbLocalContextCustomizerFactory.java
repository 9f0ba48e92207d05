package io.dynamodbcache.spring.boot.test;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives test classes annotated with {@link AutoConfigureDynamoDbLocal} a {@link DynamoDbLocalContextCustomizer}.
 */
final class DynamoDbLocalContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureDynamoDbLocal.class)
				? new DynamoDbLocalContextCustomizer() : null;
	}

}
