package io.dynamodbcache.spring.boot;

import java.net.URI;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.spring.autoconfigure.StarterAutoConfigurations;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.cache.CacheManagerCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Boot 3.5 starter adds with Boot 3.5 APIs: Boot's cache manager customizers, the meter binder provider and
 * the health indicator. Its Boot 4 twin is Boot4AutoConfigurationTests.
 */
@DynamoDbLocalTest
class Boot3AutoConfigurationTests {

	private ApplicationContextRunner runner;

	private String table;

	@BeforeEach
	void setUp(DynamoDbLocal local, UniqueTableName table) {
		this.table = table.value();
		this.runner = new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(), "dynamodb.cache.table-name=" + this.table);
	}

	@Test
	void appliesBootsCacheManagerCustomizersBeforeTheCachesAreCreated() {
		this.runner.withUserConfiguration(BootCustomizerConfiguration.class).run((context) -> {
			DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
			assertThat(context.getBean(BootCustomizerConfiguration.class).customized).isSameAs(manager);
			assertThat(manager.isTransactionAware()).isTrue();
		});
	}

	@Test
	void valuesAreEncodedWithJackson2AndJackson3IsAClearErrorWhoseAdviceWorks() {
		this.runner.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
			.isInstanceOf(JacksonValueCodec.class));
		this.runner.withPropertyValues("dynamodb.cache.codec=jackson").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("dynamodb.cache.codec=jackson needs Jackson 3 (tools.jackson.core:jackson-databind)")
				.hasMessageContaining("set dynamodb.cache.codec=jackson2");
		});
		this.runner.withPropertyValues("dynamodb.cache.codec=jackson2")
			.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
				.isInstanceOf(JacksonValueCodec.class));
	}

	@Test
	void healthIsUpWhenTheTableIsActive() {
		this.runner.run((context) -> {
			var health = context.getBean("dynamodbCacheHealthIndicator", DynamoDbCacheHealthIndicator.class)
				.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("table", this.table).containsEntry("status", "ACTIVE");
		});
	}

	@Test
	void healthIsDownWhenDynamoDbDoesNotAnswer() {
		DynamoDbLocal stopped = DynamoDbLocal.start();
		URI endpoint = stopped.endpoint();
		stopped.stop();
		this.runner.withPropertyValues("dynamodb.cache.endpoint=" + endpoint)
			.run((context) -> assertThat(context.getBean(DynamoDbCacheHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.DOWN));
	}

	@Test
	void healthIndicatorCanBeDisabledAndNeedsActuator() {
		this.runner.withPropertyValues("management.health.dynamodbCache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DynamoDbCacheHealthIndicator.class));
		this.runner.withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DynamoDbCacheHealthIndicator.class));
	}

	@Test
	void meterBinderProviderIsRegistered() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DynamoDbCacheMeterBinderProvider.class));
	}

	@Test
	void backsOffWithTheMainAutoConfiguration() {
		this.runner.withPropertyValues("spring.cache.type=none")
			.run((context) -> assertThat(context).doesNotHaveBean(DynamoDbCacheHealthIndicator.class)
				.doesNotHaveBean(DynamoDbCacheMeterBinderProvider.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class BootCustomizerConfiguration {

		DynamoDbCacheManager customized;

		@Bean
		CacheManagerCustomizer<DynamoDbCacheManager> cacheManagerCustomizer() {
			return (manager) -> {
				this.customized = manager;
				manager.setTransactionAware(true);
			};
		}

	}

}
