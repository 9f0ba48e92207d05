package io.dynamodbcache.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.dynamodbcache.core.ClientSettings;
import io.dynamodbcache.core.ClientSettings.MissingSettingException;
import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.DynamoDbCacheStoreBuilder;
import io.dynamodbcache.core.NearCacheListener;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.spring.cache.DynamoDbCacheConfiguration;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.spring.metrics.DynamoDbCacheStoreMetrics;
import io.dynamodbcache.spring.metrics.DynamoDbNearCacheMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * Auto-configuration of a {@link DynamoDbCacheManager} for applications with {@code @EnableCaching}, from
 * {@code dynamodb.cache.*} properties, or from the application's own {@link DynamoDbCacheConfiguration} bean
 * (which then replaces the {@code dynamodb.cache.*} cache defaults; per-cache settings still apply).
 * <p>
 * Backs off, as Spring Boot's own cache auto-configuration expects, when the application defines its own
 * {@link CacheManager}, sets {@code spring.cache.type} (so that {@code none} gives a no-op cache manager), or sets
 * {@code dynamodb.cache.enabled=false}. Honours {@code spring.cache.cache-names}. Reuses the application's
 * {@link DynamoDbClient} (and {@link DynamoDbAsyncClient}) beans when it has them; otherwise builds clients from
 * a {@link DynamoDbCacheConnectionDetails} bean or the properties.
 * <p>
 * The same class serves Spring Boot 3.5 and 4.x; each generation's starter adds what uses its own APIs (Boot's
 * {@code CacheManagerCustomizer}s, cache metrics, health).
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
		"org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration" })
@ConditionalOnClass({ DynamoDbClient.class, CacheManager.class, DynamoDbCacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "dynamodb.cache.enabled", matchIfMissing = true)
@Conditional(SpringCacheTypeUnsetCondition.class)
@EnableConfigurationProperties(DynamoDbCacheProperties.class)
@ImportRuntimeHints(DynamoDbCacheRuntimeHints.class)
@Import({ DynamoDbCacheAutoConfiguration.OwnedClientsConfiguration.class,
		DynamoDbCacheAutoConfiguration.StreamsClientConfiguration.class,
		DynamoDbCacheAutoConfiguration.StoreMetricsConfiguration.class,
		DynamoDbCacheAutoConfiguration.SanitizingConfiguration.class })
public final class DynamoDbCacheAutoConfiguration {

	private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

	@Bean
	@ConditionalOnMissingBean
	DynamoDbCacheStore dynamoDbCacheStore(DynamoDbCacheProperties properties, DynamoDbClient client,
			ObjectProvider<DynamoDbAsyncClient> asyncClient, BeanFactory beanFactory,
			ObjectProvider<DynamoDbStreamsClient> streamsClient, ObjectProvider<NearCacheListener> nearCacheListener,
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
			.closeTimeout(properties.getCloseTimeout())
			.logKeys(properties.isLogKeys())
			.circuitBreaker(properties.getCircuitBreaker().toConfig())
			.codec(JsonCodecs.create(properties.getCodec(), allowedPackages(properties, beanFactory),
					properties.getAllowedTypes(), beanClassLoader(beanFactory)));
		DynamoDbCacheProperties.NearCache nearCache = properties.getNearCache();
		if (properties.isNearCacheInUse()) {
			requireCaffeine(beanFactory);
			try {
				builder.streamPollInterval(nearCache.getStreamPollInterval());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid dynamodb.cache.near-cache.stream-poll-interval: " + ex.getMessage(),
						ex);
			}
			if (nearCache.isStreamInvalidation()) {
				builder.streamsClient(streamsClient.getIfUnique());
			}
			nearCacheListener.ifUnique(builder::nearCacheListener);
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	DynamoDbCacheTableCheck dynamoDbCacheTableCheck(DynamoDbCacheStore store, DynamoDbClient client,
			DynamoDbCacheProperties properties, Environment environment) {
		Set<String> cacheNames = initialCacheNames(properties, environment);
		cacheNames.addAll(properties.getCaches().keySet());
		return new DynamoDbCacheTableCheck(store, client.serviceClientConfiguration(), cacheNames,
				properties.isStrict());
	}

	@Bean
	DynamoDbCacheManager cacheManager(DynamoDbCacheProperties properties, DynamoDbCacheStore store,
			Environment environment, ObjectProvider<DynamoDbCacheConfiguration> cacheConfiguration,
			ObjectProvider<DynamoDbCacheManagerBuilderCustomizer> builderCustomizers,
			ObjectProvider<DynamoDbCacheManagerCustomizer> managerCustomizers) {
		DynamoDbCacheConfiguration defaults = cacheConfiguration.getIfAvailable(() -> defaultConfiguration(properties));
		DynamoDbCacheManager.Builder builder = DynamoDbCacheManager.builder(store)
			.cacheDefaults(defaults)
			.initialCacheNames(initialCacheNames(properties, environment));
		properties.getCaches()
			.forEach((name, spec) -> builder.withCacheConfiguration(name, cacheConfiguration(defaults, spec, properties)));
		if (!properties.isCreateMissingCaches()) {
			builder.disableCreateOnMissingCache();
		}
		if (properties.isTransactionAware()) {
			builder.transactionAware();
		}
		if (properties.isStrict()) {
			builder.strict();
		}
		builderCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		DynamoDbCacheManager manager = builder.build();
		managerCustomizers.orderedStream().forEach((customizer) -> customizer.customize(manager));
		return manager;
	}

	/** {@code dynamodb.cache.cache-names}, then {@code spring.cache.cache-names}, each name once. */
	private static Set<String> initialCacheNames(DynamoDbCacheProperties properties, Environment environment) {
		Set<String> names = new LinkedHashSet<>(properties.getCacheNames());
		names.addAll(Binder.get(environment)
			.bind("spring.cache.cache-names", Bindable.listOf(String.class))
			.orElseGet(List::of));
		return names;
	}

	private static DynamoDbCacheConfiguration defaultConfiguration(DynamoDbCacheProperties properties) {
		DynamoDbCacheConfiguration configuration = DynamoDbCacheConfiguration.defaultCacheConfig();
		if (properties.getNearCache().isEnabled()) {
			configuration = configuration.enableNearCache(nearCacheSettings(properties));
		}
		configuration = configuration
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
			DynamoDbCacheProperties.CacheSpec spec, DynamoDbCacheProperties properties) {
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
		if (Boolean.TRUE.equals(spec.getNearCache())) {
			configuration = configuration.enableNearCache(nearCacheSettings(properties));
		}
		else if (Boolean.FALSE.equals(spec.getNearCache())) {
			configuration = configuration.disableNearCache();
		}
		return configuration;
	}

	private static NearCacheSettings nearCacheSettings(DynamoDbCacheProperties properties) {
		return properties.getNearCache().toSettings();
	}

	private static void requireCaffeine(BeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : DynamoDbCacheAutoConfiguration.class.getClassLoader();
		if (!ClassUtils.isPresent(CAFFEINE, classLoader)) {
			throw new IllegalStateException("The near cache needs Caffeine: add com.github.ben-manes.caffeine:caffeine "
					+ "to the application's dependencies, or set dynamodb.cache.near-cache.enabled=false (and remove "
					+ "dynamodb.cache.caches.<name>.near-cache=true)");
		}
	}

	private static @Nullable ClassLoader beanClassLoader(BeanFactory beanFactory) {
		return (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: DynamoDbCacheAutoConfiguration.class.getClassLoader();
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
	 * Clients built from {@link DynamoDbCacheConnectionDetails} (by default the {@code dynamodb.cache.*}
	 * properties) and owned by the context, when the application has no {@link DynamoDbClient} of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DynamoDbClient.class)
	static class OwnedClientsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DynamoDbCacheConnectionDetails dynamoDbCacheConnectionDetails(DynamoDbCacheProperties properties) {
			return new PropertiesDynamoDbCacheConnectionDetails(properties);
		}

		@Bean
		OwnedClientTimeouts dynamoDbCacheClientTimeouts() {
			return new OwnedClientTimeouts();
		}

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbCacheClient(DynamoDbCacheConnectionDetails connection,
				DynamoDbCacheProperties properties, OwnedClientTimeouts timeouts) {
			return configure(DynamoDbClient.builder().httpClientBuilder(Apache5HttpClient.builder()), connection,
					properties, timeouts)
				.build();
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		DynamoDbAsyncClient dynamoDbCacheAsyncClient(DynamoDbCacheConnectionDetails connection,
				DynamoDbCacheProperties properties, OwnedClientTimeouts timeouts) {
			return configure(DynamoDbAsyncClient.builder().httpClientBuilder(NettyNioAsyncHttpClient.builder()),
					connection, properties, timeouts)
				.build();
		}

		private static <B extends AwsClientBuilder<B, ?>> B configure(B builder,
				DynamoDbCacheConnectionDetails connection, DynamoDbCacheProperties properties,
				OwnedClientTimeouts timeouts) {
			ClientSettings settings;
			try {
				settings = new ClientSettings(connection.getRegion(), connection.getEndpoint(),
						connection.getAccessKeyId(), connection.getSecretAccessKey());
			}
			catch (IllegalArgumentException ex) {
				// Restate the rule in terms of the properties to set.
				throw new IllegalStateException("Set both dynamodb.cache.credentials.access-key-id and "
						+ "dynamodb.cache.credentials.secret-access-key, or neither to use the AWS default "
						+ "credentials provider chain");
			}
			// Attempts are the client's retry strategy; the store sets the timeouts on every request.
			RetryStrategy retryStrategy = properties.getRequest().toBudget().retryStrategy();
			try {
				return settings.applyTo(builder)
					.overrideConfiguration((override) -> override.retryStrategy(retryStrategy)
						.scheduledExecutorService(timeouts.scheduler()));
			}
			catch (MissingSettingException ex) {
				throw new IllegalStateException(restate(ex), ex);
			}
		}

		private static String restate(MissingSettingException ex) {
			return switch (ex.getSetting()) {
				case REGION -> "Set dynamodb.cache.region (for example eu-west-1), or the AWS_REGION environment "
						+ "variable, or dynamodb.cache.endpoint for DynamoDB Local: " + ex.getMessage();
				case CREDENTIALS -> "Set dynamodb.cache.credentials.access-key-id and "
						+ "dynamodb.cache.credentials.secret-access-key, or give this machine AWS credentials "
						+ "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role): " + ex.getMessage();
			};
		}

	}

	/**
	 * The client the near caches read the table's stream with, for the region, endpoint and credentials of
	 * the {@link DynamoDbClient} the cache uses.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(NearCacheInUseCondition.class)
	static class StreamsClientConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "dynamodb.cache.near-cache.stream-invalidation", matchIfMissing = true)
		DynamoDbStreamsClient dynamoDbCacheStreamsClient(DynamoDbClient client, DynamoDbCacheProperties properties,
				ObjectProvider<OwnedClientTimeouts> ownedClientTimeouts) {
			DynamoDbServiceClientConfiguration configuration = client.serviceClientConfiguration();
			DynamoDbStreamsClientBuilder builder = DynamoDbStreamsClient.builder()
				.httpClientBuilder(Apache5HttpClient.builder())
				.region(configuration.region())
				.credentialsProvider(configuration.credentialsProvider())
				.overrideConfiguration((override) -> {
					override.retryStrategy(properties.getRequest().toBudget().retryStrategy());
					// The same scheduler as the clients the starter builds, when it builds them.
					ownedClientTimeouts
						.ifAvailable((timeouts) -> override.scheduledExecutorService(timeouts.scheduler()));
				});
			configuration.endpointOverride().ifPresent(builder::endpointOverride);
			return builder.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class StoreMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DynamoDbCacheStoreMetrics dynamoDbCacheStoreMetrics(DynamoDbCacheStore store) {
			return new DynamoDbCacheStoreMetrics(store);
		}

		@Bean
		@ConditionalOnMissingBean(NearCacheListener.class)
		@Conditional(NearCacheInUseCondition.class)
		DynamoDbNearCacheMetrics dynamoDbNearCacheMetrics(DynamoDbCacheProperties properties) {
			return new DynamoDbNearCacheMetrics(properties.getTableName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SanitizingConfiguration {

		@Bean
		SanitizingFunction dynamoDbCacheCredentialsSanitizingFunction() {
			return new CredentialsSanitizingFunction();
		}

	}

}
