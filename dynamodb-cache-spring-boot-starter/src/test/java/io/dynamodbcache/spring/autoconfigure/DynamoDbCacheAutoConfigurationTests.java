package io.dynamodbcache.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.spring.cache.DynamoDbCache;
import io.dynamodbcache.spring.cache.DynamoDbCacheConfiguration;
import io.dynamodbcache.spring.cache.DynamoDbCacheManager;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.FaultProxy;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration that both Spring Boot generations share; runs on Boot 4.x here and on Boot 3.5 in
 * dynamodb-cache-spring-boot3-starter.
 */
@DynamoDbLocalTest
@ExtendWith(OutputCaptureExtension.class)
class DynamoDbCacheAutoConfigurationTests {

	private ApplicationContextRunner runner;

	private String table;

	@BeforeEach
	void setUp(DynamoDbLocal local, UniqueTableName table) {
		this.table = table.value();
		this.runner = new ApplicationContextRunner()
			.withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(), "dynamodb.cache.table-name=" + this.table,
					"dynamodb.cache.credentials.access-key-id=dynamodbcache",
					"dynamodb.cache.credentials.secret-access-key=local");
	}

	@Test
	void defaultsGiveADynamoDbCacheManagerOnOwnedClients() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DynamoDbCacheManager.class)
				.hasSingleBean(DynamoDbCacheStore.class)
				.hasBean("dynamoDbCacheClient")
				.hasBean("dynamoDbCacheAsyncClient");
			DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
			assertThat(manager.isAllowRuntimeCacheCreation()).isTrue();
			assertThat(manager.isStrict()).isFalse();
			assertThat(manager.isTransactionAware()).isFalse();
			assertThat(manager.getDefaultCacheConfiguration().getTtlFunction().getTimeToLive("k", "v"))
				.isEqualTo(Duration.ZERO);
			assertThat(manager.getDefaultCacheConfiguration().getAllowCacheNullValues()).isTrue();
			DynamoDbCacheStore store = context.getBean(DynamoDbCacheStore.class);
			assertThat(store.getTableName()).isEqualTo(this.table);
			assertThat(store.getShards()).isEqualTo(16);
			DynamoDbClient client = context.getBean(DynamoDbClient.class);
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
			assertThat(client.serviceClientConfiguration().credentialsProvider())
				.isInstanceOf(StaticCredentialsProvider.class);
			assertThat(client.listTables().tableNames()).contains(this.table);
			var override = client.serviceClientConfiguration().overrideConfiguration();
			assertThat(override.retryStrategy()).hasValueSatisfying((retry) -> assertThat(retry.maxAttempts()).isEqualTo(3));
			assertThat(override.scheduledExecutorService()).isPresent();
		});
	}

	@Test
	void anApplicationsCacheConfigurationBeanReplacesThePropertyDefaults() {
		DynamoDbCacheConfiguration own = DynamoDbCacheConfiguration.defaultCacheConfig()
			.entryTtl(Duration.ofMinutes(3))
			.prefixCacheNameWith("app:");
		this.runner.withBean(DynamoDbCacheConfiguration.class, () -> own)
			.withPropertyValues("dynamodb.cache.time-to-live=10m", "dynamodb.cache.key-prefix=ignored:",
					"dynamodb.cache.caches.prices.time-to-live=15s")
			.run((context) -> {
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				assertThat(manager.getDefaultCacheConfiguration()).isEqualTo(own);
				var prices = manager.getCacheConfigurations().get("prices");
				assertThat(prices.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ofSeconds(15));
				assertThat(prices.getCacheNamePrefix()).isEqualTo("app:");
			});
	}

	@Test
	void everyCachePropertyIsApplied() {
		this.runner
			.withPropertyValues("dynamodb.cache.region=eu-west-1", "dynamodb.cache.time-to-live=10m",
					"dynamodb.cache.time-to-idle=2m", "dynamodb.cache.cache-null-values=false",
					"dynamodb.cache.key-prefix=orders:", "dynamodb.cache.consistent-read=true",
					"dynamodb.cache.cache-names=books,authors", "dynamodb.cache.create-missing-caches=false",
					"dynamodb.cache.shards=4", "dynamodb.cache.allowed-packages=com.example.catalog",
					"dynamodb.cache.compression-threshold=1KB", "dynamodb.cache.strict=true",
					"dynamodb.cache.transaction-aware=true", "dynamodb.cache.load-lease=30s",
					"dynamodb.cache.caches.sessions.time-to-live=0s", "dynamodb.cache.caches.sessions.time-to-idle=30m",
					"dynamodb.cache.caches.prices.time-to-live=15s")
			.run((context) -> {
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("books", "authors", "sessions", "prices");
				assertThat(manager.getCache("unknown")).isNull();
				assertThat(manager.isStrict()).isTrue();
				assertThat(manager.isTransactionAware()).isTrue();
				var books = manager.getCacheConfigurations().get("books");
				assertThat(books.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ofMinutes(10));
				assertThat(books.getTimeToIdle()).isEqualTo(Duration.ofMinutes(2));
				assertThat(books.getAllowCacheNullValues()).isFalse();
				assertThat(books.getCacheNamePrefix()).isEqualTo("orders:");
				assertThat(books.getLoadLease()).isEqualTo(Duration.ofSeconds(30));
				var sessions = manager.getCacheConfigurations().get("sessions");
				assertThat(sessions.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ZERO);
				assertThat(sessions.getTimeToIdle()).isEqualTo(Duration.ofMinutes(30));
				assertThat(manager.getCacheConfigurations().get("prices").getTtlFunction().getTimeToLive("k", "v"))
					.isEqualTo(Duration.ofSeconds(15));
				DynamoDbCacheStore store = context.getBean(DynamoDbCacheStore.class);
				assertThat(store.getShards()).isEqualTo(4);
				assertThat(store.getCodec().toString()).contains("com.example.catalog.");
				assertThat(store.toString()).contains("consistentReads=true", "compressionThreshold=1024");
				assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().region())
					.isEqualTo(Region.EU_WEST_1);
			});
	}

	@Test
	void allowedPackagesDefaultToTheAutoConfigurationPackages() {
		this.runner.withUserConfiguration(PackageRegistration.class).run((context) -> assertThat(
				context.getBean(DynamoDbCacheStore.class).getCodec().toString())
			.contains("io.dynamodbcache.spring.autoconfigure."));
	}

	@Test
	void allowedPackagesAndTypesAddToTheAutoConfigurationPackages() {
		this.runner.withUserConfiguration(PackageRegistration.class)
			.withPropertyValues("dynamodb.cache.allowed-packages=com.example.catalog",
					"dynamodb.cache.allowed-types=java.net.InetAddress")
			.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec().toString())
				.contains("io.dynamodbcache.spring.autoconfigure.", "com.example.catalog.", "java.net.InetAddress"));
	}

	@Test
	void backsOffWhenTheApplicationDefinesACacheManager() {
		this.runner.withUserConfiguration(CustomCacheManagerConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(DynamoDbCacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("dynamodb.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DynamoDbCacheManager.class));
	}

	@Test
	void backsOffWithoutEnableCaching() {
		new ApplicationContextRunner()
			.withConfiguration(StarterAutoConfigurations.withBootCache())
			.run((context) -> assertThat(context).doesNotHaveBean(DynamoDbCacheManager.class));
	}

	/**
	 * The application's clients are used as they are, but for their SDK default timeout schedulers, which the
	 * store makes drop the timer tasks of finished calls (they kept each for the call timeout).
	 */
	@Test
	void reusesTheApplicationsClients(DynamoDbLocal local) {
		try (DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(local.endpoint())
			.region(DynamoDbLocal.REGION)
			.credentialsProvider(DynamoDbLocal.credentials())
			.build();
				DynamoDbAsyncClient asyncClient = DynamoDbAsyncClient.builder()
					.endpointOverride(local.endpoint())
					.region(DynamoDbLocal.REGION)
					.credentialsProvider(DynamoDbLocal.credentials())
					.build()) {
			assertThat(timeoutScheduler(client).getRemoveOnCancelPolicy()).isFalse();
			assertThat(timeoutScheduler(asyncClient).getRemoveOnCancelPolicy()).isFalse();
			this.runner.withBean(DynamoDbClient.class, () -> client)
				.withBean(DynamoDbAsyncClient.class, () -> asyncClient)
				.run((context) -> {
					assertThat(context).doesNotHaveBean("dynamoDbCacheClient")
						.doesNotHaveBean("dynamoDbCacheAsyncClient");
					assertThat(context.getBean(DynamoDbClient.class)).isSameAs(client);
					context.getBean(DynamoDbCacheManager.class).getCache("c").put("k", "v");
					assertThat(context.getBean(DynamoDbCacheStore.class).get("c", "k")).isEqualTo("v");
					assertThat(timeoutScheduler(client).getRemoveOnCancelPolicy()).isTrue();
					assertThat(timeoutScheduler(asyncClient).getRemoveOnCancelPolicy()).isTrue();
				});
		}
	}

	private static ScheduledThreadPoolExecutor timeoutScheduler(SdkClient client) {
		return (ScheduledThreadPoolExecutor) client.serviceClientConfiguration()
			.overrideConfiguration()
			.scheduledExecutorService()
			.orElseThrow();
	}

	@Test
	void ownedClientsAreClosedWithTheContext() {
		DynamoDbClient[] client = new DynamoDbClient[1];
		this.runner.run((context) -> client[0] = context.getBean(DynamoDbClient.class));

		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client[0].listTables()))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void appliesCustomizersInOrder() {
		this.runner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
			assertThat(manager.getCacheNames()).contains("from-builder-customizer");
			assertThat(context.getBean(CustomizerConfiguration.class).customized).isSameAs(manager);
			assertThat(manager.isTransactionAware()).isTrue();
		});
	}

	@Test
	void halfConfiguredCredentialsAreAClearStartupError() {
		this.runner.withPropertyValues("dynamodb.cache.credentials.secret-access-key=")
			.withPropertyValues("dynamodb.cache.credentials.access-key-id=AKIAEXAMPLE")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Set both dynamodb.cache.credentials.access-key-id"));
	}

	@Test
	void missingTableWithCreationDisabledFailsStartup() {
		this.runner.withPropertyValues("dynamodb.cache.table-name=" + this.table + "-absent",
				"dynamodb.cache.create-table=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("does not exist and table creation is disabled"));
	}

	@Test
	void unreachableDynamoDbAtStartupDoesNotFailTheApplication() {
		DynamoDbLocal stopped = DynamoDbLocal.start();
		URI endpoint = stopped.endpoint();
		stopped.stop();
		this.runner.withPropertyValues("dynamodb.cache.endpoint=" + endpoint).run((context) -> {
			assertThat(context).hasNotFailed();
			DynamoDbCache cache = (DynamoDbCache) context.getBean(CacheManager.class).getCache("c");
			assertThat(cache.get("k")).isNull();
			assertThat(DynamoDbCacheHealth.of(context.getBean(DynamoDbCacheStore.class)).up()).isFalse();
		});
	}

	@Test
	void startupAgainstADynamoDbThatNeverAnswersCompletesWithinTheBudgetAndHealthSaysWhy(DynamoDbLocal local) {
		try (FaultProxy proxy = FaultProxy.start(local.endpoint())) {
			proxy.blackHole();
			long start = System.nanoTime();
			this.runner
				.withPropertyValues("dynamodb.cache.endpoint=" + proxy.endpoint(),
						"dynamodb.cache.request.api-call-timeout=500ms", "dynamodb.cache.request.attempt-timeout=250ms",
						"dynamodb.cache.circuit-breaker.minimum-number-of-calls=2")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
					DynamoDbCache cache = (DynamoDbCache) context.getBean(CacheManager.class).getCache("c");
					assertThat(cache.get("k")).isNull();
					var health = DynamoDbCacheHealth.of(context.getBean(DynamoDbCacheStore.class));
					assertThat(health.up()).isFalse();
					// Open, or half-open while its probe tries DynamoDB again: callers are refused either way.
					assertThat(health.details().get("circuitBreaker")).isIn("OPEN", "HALF_OPEN");
					assertThat(health.details()).containsEntry("readingStream", false);
				});
		}
	}

	@Test
	void backsOffWhenSpringCacheTypeIsSetSoThatNoneGivesANoOpCacheManager() {
		this.runner.withPropertyValues("spring.cache.type=none").run((context) -> {
			assertThat(context).doesNotHaveBean(DynamoDbCacheManager.class).doesNotHaveBean(DynamoDbCacheStore.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class);
		});
		this.runner.withPropertyValues("spring.cache.type=simple")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isInstanceOf(ConcurrentMapCacheManager.class));
	}

	@Test
	void honoursSpringCacheCacheNames() {
		this.runner
			.withPropertyValues("spring.cache.cache-names=books,prices", "dynamodb.cache.cache-names=authors,books",
					"dynamodb.cache.create-missing-caches=false")
			.run((context) -> {
				DynamoDbCacheManager manager = context.getBean(DynamoDbCacheManager.class);
				assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("authors", "books", "prices");
				assertThat(manager.getCache("other")).isNull();
			});
	}

	@Test
	void startupSaysInOneLineWhichTableRegionEndpointAndCredentialsTheCacheUses(CapturedOutput output) {
		this.runner.withPropertyValues("dynamodb.cache.cache-names=books").run((context) -> {
			assertThat(context).hasNotFailed();
			String line = output.getOut()
				.lines()
				.filter((candidate) -> candidate.contains("DynamoDB cache table '" + this.table + "' is ready"))
				.findFirst()
				.orElseThrow();
			assertThat(line).contains("INFO", "region us-east-1",
					"endpoint " + context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride().get(),
					"credentials StaticCredentialsProvider", "caches [books]");
			assertThat(output.getAll()).doesNotContain("dynamodbcache", "secret-access-key=local");
		});
	}

	@Test
	void aLoopbackEndpointWithoutCredentialsUsesTheDocumentedDummyKeys(DynamoDbLocal local, CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(), "dynamodb.cache.table-name=" + this.table)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(CacheManager.class).getCache("c").put("k", "v");
				assertThat(context.getBean(CacheManager.class).getCache("c").get("k").get()).isEqualTo("v");
				assertThat(output).contains("credentials dummy keys for a loopback endpoint");
			});
	}

	@Test
	void noResolvableRegionIsAStartupErrorThatNamesTheProperty() {
		org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null
				&& System.getenv("AWS_DEFAULT_REGION") == null, "this machine sets an AWS region");
		new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Set dynamodb.cache.region (for example eu-west-1), or the AWS_REGION environment variable")
				.hasStackTraceContaining("No AWS region could be resolved"));
	}

	@Test
	void aRemoteEndpointWithoutCredentialsIsAStartupErrorThatNamesTheProperties() {
		org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null,
				"this machine has AWS credentials in its environment");
		new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=https://dynamodb.example.com", "dynamodb.cache.region=eu-west-1")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Set dynamodb.cache.credentials.access-key-id and dynamodb.cache.credentials.secret-access-key"));
	}

	@Test
	void aConnectionDetailsBeanReplacesTheConnectionProperties(DynamoDbLocal local) {
		DynamoDbLocal stopped = DynamoDbLocal.start();
		URI deadEndpoint = stopped.endpoint();
		stopped.stop();
		this.runner.withPropertyValues("dynamodb.cache.endpoint=" + deadEndpoint)
			.withBean(DynamoDbCacheConnectionDetails.class, () -> local::endpoint)
			.run((context) -> {
				DynamoDbClient client = context.getBean(DynamoDbClient.class);
				assertThat(client.serviceClientConfiguration().endpointOverride()).contains(local.endpoint());
				context.getBean(CacheManager.class).getCache("c").put("k", "v");
				assertThat(context.getBean(DynamoDbCacheStore.class).get("c", "k")).isEqualTo("v");
			});
	}

	@Test
	void theCredentialsAreMaskedInEnvAndConfigpropsEvenWhenValuesAreShown() {
		this.runner.withPropertyValues("dynamodb.cache.credentials.secret-access-key=s3cr3tValue",
				"dynamodb.cache.credentials.access-key-id=AKIDEXAMPLE4711")
			.withSystemProperties("DYNAMODB_CACHE_CREDENTIALS_SECRETACCESSKEY=s3cr3tValue",
					"DYNAMODB_CACHE_CREDENTIALS_ACCESSKEYID=AKIDEXAMPLE4711")
			.run((context) -> {
				List<SanitizingFunction> functions = context.getBeanProvider(SanitizingFunction.class)
					.orderedStream()
					.toList();
				assertThat(functions).isNotEmpty();
				Object env = new EnvironmentEndpoint(context.getEnvironment(), functions, Show.ALWAYS).environment(null);
				ConfigurationPropertiesReportEndpoint configprops = new ConfigurationPropertiesReportEndpoint(functions,
						Show.ALWAYS);
				configprops.setApplicationContext(context);
				Object props = configprops.configurationProperties();
				// Other values are shown (the table name), the credentials are not.
				assertThat(flatten(env)).contains(this.table).doesNotContain("s3cr3tValue", "AKIDEXAMPLE4711");
				assertThat(flatten(props)).contains(this.table)
					.doesNotContain("s3cr3tValue", "AKIDEXAMPLE4711")
					.contains("******");
			});
	}

	/** Every value reachable from an endpoint descriptor, through its getters, maps and collections. */
	private static String flatten(Object descriptor) {
		StringBuilder out = new StringBuilder();
		flatten(descriptor, out, 0);
		return out.toString();
	}

	private static void flatten(Object value, StringBuilder out, int depth) {
		if (value == null || depth > 12) {
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> {
				out.append(key).append('=');
				flatten(item, out, depth + 1);
				out.append('\n');
			});
		}
		else if (value instanceof Iterable<?> items) {
			items.forEach((item) -> flatten(item, out, depth + 1));
		}
		else if (value.getClass().getName().startsWith("org.springframework.boot.actuate")) {
			for (var method : value.getClass().getMethods()) {
				if (method.getParameterCount() == 0 && method.getName().startsWith("get")
						&& method.getDeclaringClass() != Object.class) {
					try {
						flatten(method.invoke(value), out, depth + 1);
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}
		else {
			out.append(value);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.AutoConfigurationPackage
	static class PackageRegistration {

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCacheManagerConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		DynamoDbCacheManager customized;

		@Bean
		DynamoDbCacheManagerBuilderCustomizer builderCustomizer() {
			return (builder) -> builder.initialCacheNames(java.util.Set.of("from-builder-customizer"));
		}

		@Bean
		DynamoDbCacheManagerCustomizer cacheManagerCustomizer() {
			return (manager) -> {
				this.customized = manager;
				manager.setTransactionAware(true);
			};
		}

	}

}
