package io.dynamodbcache.spring.boot.test;

import java.net.URI;

import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheConnectionDetails;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the JVM's shared in-process DynamoDB Local and registers {@link DynamoDbCacheConnectionDetails} that
 * point at it. All instances are equal, so that Spring's test context cache reuses contexts across test classes.
 */
final class DynamoDbLocalContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "dynamoDbLocalConnectionDetails";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		URI endpoint = DynamoDbLocal.shared().endpoint();
		RootBeanDefinition definition = new RootBeanDefinition(DynamoDbCacheConnectionDetails.class,
				() -> new LocalConnectionDetails(endpoint));
		((BeanDefinitionRegistry) context.getBeanFactory()).registerBeanDefinition(BEAN_NAME, definition);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

	/** A loopback endpoint and no keys: the client gets the documented dummy keys. */
	private record LocalConnectionDetails(URI endpoint) implements DynamoDbCacheConnectionDetails {

		@Override
		public URI getEndpoint() {
			return this.endpoint;
		}

	}

}
