package io.dynamodbcache.spring.boot;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheAutoConfiguration;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheManagerBuilderCustomizer;
import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheManagerCustomizer;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;
import org.springframework.boot.actuate.metrics.cache.CacheMetricsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.cache.CacheManagerCustomizer;
import org.springframework.boot.autoconfigure.cache.CacheManagerCustomizers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What the DynamoDB cache auto-configuration adds on Spring Boot 3.5: the application's
 * {@link CacheManagerCustomizer}s, cache metrics (also of caches created at runtime) and the
 * {@code dynamodbCache} health indicator. Runs after {@link DynamoDbCacheAutoConfiguration} and only where it
 * made a {@link DynamoDbCacheManager}.
 */
@AutoConfiguration(after = DynamoDbCacheAutoConfiguration.class)
@ConditionalOnBean(DynamoDbCacheManager.class)
@Import({ DynamoDbCacheBootAutoConfiguration.MetricsConfiguration.class,
		DynamoDbCacheBootAutoConfiguration.HealthConfiguration.class })
public final class DynamoDbCacheBootAutoConfiguration {

	@Bean
	DynamoDbCacheManagerCustomizer dynamoDbCacheBootCacheManagerCustomizers(
			ObjectProvider<CacheManagerCustomizer<?>> customizers) {
		return (manager) -> new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(manager);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterBinder.class, CacheMeterBinderProvider.class })
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DynamoDbCacheMeterBinderProvider dynamoDbCacheMeterBinderProvider() {
			return new DynamoDbCacheMeterBinderProvider();
		}

		@Bean
		DynamoDbCacheManagerBuilderCustomizer dynamoDbCacheRuntimeCacheMetrics(
				ObjectProvider<CacheMetricsRegistrar> registrar) {
			return (builder) -> builder.onRuntimeCacheCreation((cache) -> registrar
				.ifAvailable((metrics) -> metrics.bindCacheToRegistry(cache, Tag.of("cache.manager", "cacheManager"))));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AbstractHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("dynamodbCache")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "dynamodbCacheHealthIndicator")
		DynamoDbCacheHealthIndicator dynamodbCacheHealthIndicator(DynamoDbCacheStore store) {
			return new DynamoDbCacheHealthIndicator(store);
		}

	}

}
