package io.dynamodbcache.sample;

import java.util.Map;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts DynamoDB Local inside the application and points the cache at it, unless
 * {@code dynamodb.cache.endpoint} is set, the {@code aws} profile is active, or
 * {@code sample.embedded-dynamodb=false}.
 */
class EmbeddedDynamoDbEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean wanted = environment.getProperty("sample.embedded-dynamodb", Boolean.class, true);
		if (!wanted || environment.containsProperty("dynamodb.cache.endpoint")
				|| environment.matchesProfiles("aws")) {
			return;
		}
		// Spring AOT processing at build time only needs the same properties, for the conditions it evaluates
		// then: starting DynamoDB Local there would keep the build's process alive.
		String endpoint = Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING) ? "http://localhost:8000"
				: DynamoDbLocal.shared().endpoint().toString();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedDynamoDb",
					Map.of("dynamodb.cache.endpoint", endpoint, "dynamodb.cache.region",
							DynamoDbLocal.REGION.id(), "dynamodb.cache.credentials.access-key-id", "dynamodbcache",
							"dynamodb.cache.credentials.secret-access-key", "local")));
	}

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
