package io.dynamodbcache.spring.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code application.yml} examples of the README's Spring Boot section, as a user copies them: each
 * starts, or fails with a message that names the property to set.
 */
@DynamoDbLocalTest
class ReadmeYamlExamplesTests {

	private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

	private final List<String> examples = springBootYamlExamples();

	@Test
	void theReadmeHasTheCompleteExampleTheDynamoDbLocalOneAndTheNearCacheOne() {
		assertThat(this.examples).hasSize(3);
		assertThat(this.examples.get(0)).contains("circuit-breaker:", "caches:", "near-cache:");
		assertThat(this.examples.get(1)).contains("endpoint: http://localhost:8000");
		assertThat(this.examples.get(2)).contains("near-cache:", "enabled: true");
	}

	@Test
	void theCompleteExampleNamesThePropertyToSetWhereNoRegionIsConfiguredAndStartsWhereOneIs(DynamoDbLocal local) {
		org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null
				&& System.getenv("AWS_DEFAULT_REGION") == null, "this machine sets an AWS region");
		String complete = this.examples.get(0);
		runner(complete).run((context) -> assertThat(context.getStartupFailure())
			.hasStackTraceContaining("Set dynamodb.cache.region (for example eu-west-1)"));
		// Where a region is configured it starts; the endpoint keeps this test's requests on this machine.
		runner(complete)
			.withPropertyValues("dynamodb.cache.region=eu-west-1", "dynamodb.cache.endpoint=" + local.endpoint(),
					"dynamodb.cache.table-name=readme-complete-example")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theDynamoDbLocalExampleStartsEvenWhileNothingListens() {
		runner(this.examples.get(1)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(org.springframework.cache.CacheManager.class).getCache("books").get("k"))
				.isNull();
		});
	}

	@Test
	void theNearCacheExampleStartsWithANearCacheForEveryCacheButTheOneThatTurnsItOff(DynamoDbLocal local) {
		runner(this.examples.get(2))
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(),
					"dynamodb.cache.table-name=readme-near-cache-example")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				assertThat(manager.getDefaultCacheConfiguration().getNearCache())
					.isEqualTo(new NearCacheSettings(10_000, Duration.ofSeconds(10)));
				assertThat(manager.getCacheConfigurations().get("prices").getNearCache()).isNull();
			});
	}

	private static ApplicationContextRunner runner(String yaml) {
		return new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withInitializer((context) -> {
				try {
					for (PropertySource<?> source : new YamlPropertySourceLoader().load("readme",
							new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))) {
						context.getEnvironment().getPropertySources().addLast(source);
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
	}

	private static List<String> springBootYamlExamples() {
		try {
			String readme = Files.readString(Path.of("..", "README.md"));
			String section = readme.substring(readme.indexOf("## Spring Boot"), readme.indexOf("## Lucee"));
			List<String> blocks = new ArrayList<>();
			Matcher matcher = YAML_BLOCK.matcher(section);
			while (matcher.find()) {
				blocks.add(matcher.group(1));
			}
			return blocks;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
