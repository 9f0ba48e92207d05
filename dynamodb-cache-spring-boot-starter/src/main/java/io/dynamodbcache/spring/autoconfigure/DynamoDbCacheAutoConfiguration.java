package io.dynamodbcache.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.dynamodbcache.core.ClientSettings;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.spring.cache.DynamoDbCacheConfiguration;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.spring.health.DynamoDbCacheHealthIndicator;
import io.dynamodbcache.spring.metrics.DynamoDbCacheMeterBinderProvider;
import io.dynamodbcache.spring.metrics.DynamoDbCacheStoreMetrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Auto-configuration of a {@link DynamoDbCacheManager} for applications with {@code @EnableCaching}, from
 * {@code dynamodb.cache.*} properties, or from the application's own {@link DynamoDbCacheConfiguration} bean
 * (which then replaces the {@code dynamodb.cache.*} cache defaults; per-cache settings still apply). Backs off when the application defines its own {@link CacheManager}
 * or sets {@code dynamodb.cache.enabled=false}; reuses the application's {@link DynamoDbClient} (and
 * {@link DynamoDbAsyncClient}) beans when it has them.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({ DynamoDbClient.class, CacheManager.class, DynamoDbCacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "dynamodb.cache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoDbCacheProperties.class)
@Import({ DynamoDbCacheAutoConfiguration.OwnedClientsConfiguration.class,
		DynamoDbCacheAutoConfiguration.MetricsConfiguration.class,
		DynamoDbCacheAutoConfiguration.HealthConfiguration.class })
public final class DynamoDbCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DynamoDbCacheStore dynamoDbCacheStore(DynamoDbCacheProperties properties, DynamoDbClient client,
			ObjectProvider<DynamoDbAsyncClient> asyncClient, BeanFactory beanFactory,
			ObjectProvider<DynamoDbCacheStoreBuilderCustomizer> customizers) {
		DynamoDbCacheStoreBuilder builder = DynamoDbCacheStore.builder(client)
			.asyncClient(asyncClient.getIfUnique())
			.tableName(properties.getTableName())
			.createTable(properties.isCreateTable())
			.shards(properties.getShards())
			.consistentReads(properties.isConsistentRead())
			.compressionThreshold((int) Math.min(Integer.MAX_VALUE, properties.getCompressionThreshold().toBytes()))
			.maxValueSize((int) Math.min(Integer.MAX_VALUE, properties.getMaxValueSize().toBytes()))
			.requestBudget(properties.getRequest().toBudget())
			.circuitBreaker(properties.getCircuitBreaker().toConfig())
			.codec(JacksonValueCodec.builder()
				.allowPackages(allowedPackages(properties, beanFactory))
				.allowTypeNames(properties.getAllowedTypes())
				.build());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	DynamoDbCacheTableCheck dynamoDbCacheTableCheck(DynamoDbCacheStore store, DynamoDbCacheProperties properties) {
		return new DynamoDbCacheTableCheck(store, properties.isStrict());
	}

	@Bean
	DynamoDbCacheManager cacheManager(DynamoDbCacheProperties properties, DynamoDbCacheStore store,
			ObjectProvider<DynamoDbCacheConfiguration> cacheConfiguration,
			ObjectProvider<DynamoDbCacheManagerBuilderCustomizer> builderCustomizers,
			ObjectProvider<CacheManagerCustomizer<?>> cacheManagerCustomizers,
			ObjectProvider<CacheMetricsRegistrar> metricsRegistrar) {
		DynamoDbCacheConfiguration defaults = cacheConfiguration.getIfAvailable(() -> defaultConfiguration(properties));
		DynamoDbCacheManager.Builder builder = DynamoDbCacheManager.builder(store)
			.cacheDefaults(defaults)
			.initialCacheNames(new LinkedHashSet<>(properties.getCacheNames()));
		properties.getCaches()
			.forEach((name, spec) -> builder.withCacheConfiguration(name, cacheConfiguration(defaults, spec)));
		if (!properties.isCreateMissingCaches()) {
			builder.disableCreateOnMissingCache();
		}
		if (properties.isTransactionAware()) {
			builder.transactionAware();
		}
		if (properties.isStrict()) {
			builder.strict();
		}
		builder.onRuntimeCacheCreation((cache) -> metricsRegistrar
			.ifAvailable((registrar) -> registrar.bindCacheToRegistry(cache, Tag.of("cache.manager", "cacheManager"))));
		builderCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		DynamoDbCacheManager manager = builder.build();
		return new CacheManagerCustomizers(cacheManagerCustomizers.orderedStream().toList()).customize(manager);
	}

	private static DynamoDbCacheConfiguration defaultConfiguration(DynamoDbCacheProperties properties) {
		DynamoDbCacheConfiguration configuration = DynamoDbCacheConfiguration.defaultCacheConfig()
			.prefixCacheNameWith(properties.getKeyPrefix())
			.timeToIdle(properties.getTimeToIdle());
		if (properties.getTimeToLive() != null) {
			configuration = configuration.entryTtl(properties.getTimeToLive());
		}
		if (!properties.isCacheNullValues()) {
			configuration = configuration.disableCachingNullValues();
		}
		if (properties.getLoadLease() != null) {
			configuration = configuration.enableDistributedLoadLease(properties.getLoadLease());
		}
		return configuration;
	}

	private static DynamoDbCacheConfiguration cacheConfiguration(DynamoDbCacheConfiguration defaults,
			DynamoDbCacheProperties.CacheSpec spec) {
		DynamoDbCacheConfiguration configuration = defaults;
		if (spec.getTimeToLive() != null) {
			configuration = configuration.entryTtl(spec.getTimeToLive());
		}
		if (spec.getTimeToIdle() != null) {
			configuration = configuration.timeToIdle(spec.getTimeToIdle());
		}
		if (Boolean.FALSE.equals(spec.getCacheNullValues())) {
			configuration = configuration.disableCachingNullValues();
		}
		else if (Boolean.TRUE.equals(spec.getCacheNullValues()) && !defaults.getAllowCacheNullValues()) {
			throw new IllegalStateException("dynamodb.cache.caches.*.cache-null-values=true cannot re-enable null "
					+ "values disabled by dynamodb.cache.cache-null-values=false: enable them globally instead");
		}
		Duration loadLease = spec.getLoadLease();
		if (loadLease != null) {
			configuration = configuration.enableDistributedLoadLease(loadLease);
		}
		return configuration;
	}

	/** The application's auto-configuration packages, and the packages the properties add. */
	private static List<String> allowedPackages(DynamoDbCacheProperties properties, BeanFactory beanFactory) {
		Set<String> packages = new LinkedHashSet<>();
		if (AutoConfigurationPackages.has(beanFactory)) {
			for (String name : AutoConfigurationPackages.get(beanFactory)) {
				// The default package cannot be allowed as a whole; such applications list their packages.
				if (!name.isEmpty()) {
					packages.add(name);
				}
			}
		}
		packages.addAll(properties.getAllowedPackages());
		return new ArrayList<>(packages);
	}

	/**
	 * Clients built from {@code dynamodb.cache.*} and owned by the context, when the application has no
	 * {@link DynamoDbClient} of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DynamoDbClient.class)
	static class OwnedClientsConfiguration {

		@Bean
		OwnedClientTimeouts dynamoDbCacheClientTimeouts() {
			return new OwnedClientTimeouts();
		}

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbCacheClient(DynamoDbCacheProperties properties, OwnedClientTimeouts timeouts) {
			return configure(DynamoDbClient.builder().httpClientBuilder(ApacheHttpClient.builder()), properties,
					timeouts)
				.build();
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		DynamoDbAsyncClient dynamoDbCacheAsyncClient(DynamoDbCacheProperties properties, OwnedClientTimeouts timeouts) {
			return configure(DynamoDbAsyncClient.builder().httpClientBuilder(NettyNioAsyncHttpClient.builder()),
					properties, timeouts)
				.build();
		}

		private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, DynamoDbCacheProperties properties,
				OwnedClientTimeouts timeouts) {
			DynamoDbCacheProperties.Credentials credentials = properties.getCredentials();
			ClientSettings settings;
			try {
				settings = new ClientSettings(properties.getRegion(), properties.getEndpoint(),
						credentials.getAccessKeyId(), credentials.getSecretAccessKey());
			}
			catch (IllegalArgumentException ex) {
				// Restate the rule in terms of the properties to set.
				throw new IllegalStateException("Set both dynamodb.cache.credentials.access-key-id and "
						+ "dynamodb.cache.credentials.secret-access-key, or neither to use the AWS default "
						+ "credentials provider chain");
			}
			// Attempts are the client's retry strategy; the store sets the timeouts on every request.
			RetryStrategy retryStrategy = properties.getRequest().toBudget().retryStrategy();
			return settings.applyTo(builder)
				.overrideConfiguration((override) -> override.retryStrategy(retryStrategy)
					.scheduledExecutorService(timeouts.scheduler()));
		}

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
		@ConditionalOnMissingBean
		DynamoDbCacheStoreMetrics dynamoDbCacheStoreMetrics(DynamoDbCacheStore store) {
			return new DynamoDbCacheStoreMetrics(store);
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
