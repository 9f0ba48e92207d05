package io.dynamodbcache.spring.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.NearCacheSettings;
import io.dynamodbcache.core.ValueCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.AbstractTransactionSupportingCacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.util.Assert;

/**
 * {@link org.springframework.cache.CacheManager} of {@link DynamoDbCache}s that share one
 * {@link DynamoDbCacheStore} (one table).
 *
 * <pre class="code">
 * DynamoDbCacheManager manager = DynamoDbCacheManager.builder(store)
 *     .cacheDefaults(DynamoDbCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofMinutes(10)))
 *     .withCacheConfiguration("sessions", DynamoDbCacheConfiguration.defaultCacheConfig().timeToIdle(Duration.ofMinutes(30)))
 *     .build();
 * </pre>
 */
public class DynamoDbCacheManager extends AbstractTransactionSupportingCacheManager {

	private final DynamoDbCacheStore store;

	private final DynamoDbCacheConfiguration defaultConfiguration;

	private final Map<String, DynamoDbCacheConfiguration> initialConfigurations;

	private final boolean allowRuntimeCacheCreation;

	private final boolean strict;

	private final List<Consumer<DynamoDbCache>> runtimeCacheListeners;

	private final Map<String, DynamoDbCache> runtimeCaches = new ConcurrentHashMap<>();

	private final Map<ValueCodec, DynamoDbCacheStore> storesByCodec = new ConcurrentHashMap<>();

	/**
	 * Create a manager; prefer {@link #builder(DynamoDbCacheStore)}.
	 * @param store the store
	 * @param defaultConfiguration the configuration of caches without their own
	 * @param initialConfigurations caches to create at startup, with their configurations
	 * @param allowRuntimeCacheCreation whether unknown cache names create caches on demand
	 * @param strict whether DynamoDB failures are thrown rather than degraded to misses
	 */
	public DynamoDbCacheManager(DynamoDbCacheStore store, DynamoDbCacheConfiguration defaultConfiguration,
			Map<String, DynamoDbCacheConfiguration> initialConfigurations, boolean allowRuntimeCacheCreation,
			boolean strict) {
		this(store, defaultConfiguration, initialConfigurations, allowRuntimeCacheCreation, strict, List.of());
	}

	private DynamoDbCacheManager(DynamoDbCacheStore store, DynamoDbCacheConfiguration defaultConfiguration,
			Map<String, DynamoDbCacheConfiguration> initialConfigurations, boolean allowRuntimeCacheCreation,
			boolean strict, List<Consumer<DynamoDbCache>> runtimeCacheListeners) {
		Assert.notNull(store, "DynamoDbCacheStore must not be null");
		Assert.notNull(defaultConfiguration, "Default DynamoDbCacheConfiguration must not be null");
		Assert.notNull(initialConfigurations, "Initial cache configurations must not be null");
		this.store = store;
		this.defaultConfiguration = defaultConfiguration;
		this.initialConfigurations = Collections.unmodifiableMap(new LinkedHashMap<>(initialConfigurations));
		this.allowRuntimeCacheCreation = allowRuntimeCacheCreation;
		this.strict = strict;
		this.runtimeCacheListeners = List.copyOf(runtimeCacheListeners);
	}

	/**
	 * Create a manager with default settings: caches created on demand, no expiry, lenient error handling.
	 * @param store the store
	 * @return the manager
	 */
	public static DynamoDbCacheManager create(DynamoDbCacheStore store) {
		return builder(store).build();
	}

	/**
	 * Start building a manager.
	 * @param store the store
	 * @return a builder
	 */
	public static Builder builder(DynamoDbCacheStore store) {
		return new Builder(store);
	}

	/**
	 * Return the store the caches share.
	 * @return the store
	 */
	public DynamoDbCacheStore getStore() {
		return this.store;
	}

	/**
	 * Return the configuration given to caches without their own.
	 * @return the default configuration
	 */
	public DynamoDbCacheConfiguration getDefaultCacheConfiguration() {
		return this.defaultConfiguration;
	}

	/**
	 * Whether unknown cache names create caches on demand.
	 * @return {@code true} if they do
	 */
	public boolean isAllowRuntimeCacheCreation() {
		return this.allowRuntimeCacheCreation;
	}

	/**
	 * Whether DynamoDB failures are thrown to the caller.
	 * @return {@code true} in strict mode
	 */
	public boolean isStrict() {
		return this.strict;
	}

	/**
	 * Return the configuration of every cache known so far, by name.
	 * @return the configurations
	 */
	public Map<String, DynamoDbCacheConfiguration> getCacheConfigurations() {
		Map<String, DynamoDbCacheConfiguration> configurations = new LinkedHashMap<>();
		for (String name : getCacheNames()) {
			Cache cache = getCache(name);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			if (cache instanceof DynamoDbCache dynamoDbCache) {
				configurations.put(name, dynamoDbCache.getCacheConfiguration());
			}
		}
		return Collections.unmodifiableMap(configurations);
	}

	@Override
	protected Collection<DynamoDbCache> loadCaches() {
		List<DynamoDbCache> caches = new ArrayList<>();
		this.initialConfigurations.forEach((name, configuration) -> caches.add(createDynamoDbCache(name, configuration)));
		return caches;
	}

	@Override
	protected @Nullable DynamoDbCache getMissingCache(String name) {
		if (!this.allowRuntimeCacheCreation) {
			return null;
		}
		// AbstractCacheManager may ask twice for the same missing cache at once and keeps one: both get the same
		// instance, so that listeners (such as metrics registration) hear of each runtime cache once.
		return this.runtimeCaches.computeIfAbsent(name, (missing) -> {
			DynamoDbCache cache = createDynamoDbCache(missing, this.defaultConfiguration);
			this.runtimeCacheListeners.forEach((listener) -> listener.accept(cache));
			return cache;
		});
	}

	/**
	 * Create a cache. Override to return a subclass of {@link DynamoDbCache}.
	 * @param name the cache name
	 * @param configuration its configuration
	 * @return the cache
	 */
	protected DynamoDbCache createDynamoDbCache(String name, DynamoDbCacheConfiguration configuration) {
		ValueCodec codec = configuration.getCodec();
		DynamoDbCacheStore cacheStore = (codec != null) ? this.storesByCodec.computeIfAbsent(codec, this.store::withCodec)
				: this.store;
		NearCacheSettings nearCache = configuration.getNearCache();
		if (nearCache != null) {
			cacheStore = cacheStore.withNearCache(nearCache);
		}
		return new DynamoDbCache(name, cacheStore, configuration, this.strict);
	}

	/**
	 * Builder of {@link DynamoDbCacheManager}.
	 */
	public static final class Builder {

		private final DynamoDbCacheStore store;

		private DynamoDbCacheConfiguration defaultConfiguration = DynamoDbCacheConfiguration.defaultCacheConfig();

		private final Map<String, @Nullable DynamoDbCacheConfiguration> initialCaches = new LinkedHashMap<>();

		private boolean allowRuntimeCacheCreation = true;

		private boolean transactionAware;

		private boolean strict;

		private final List<Consumer<DynamoDbCache>> runtimeCacheListeners = new ArrayList<>();

		private Builder(DynamoDbCacheStore store) {
			Assert.notNull(store, "DynamoDbCacheStore must not be null");
			this.store = store;
		}

		/**
		 * Set the configuration of caches without their own.
		 * @param configuration the default configuration
		 * @return this builder
		 */
		public Builder cacheDefaults(DynamoDbCacheConfiguration configuration) {
			Assert.notNull(configuration, "DynamoDbCacheConfiguration must not be null");
			this.defaultConfiguration = configuration;
			return this;
		}

		/**
		 * Return the configuration of caches without their own, as set so far.
		 * @return the default configuration
		 */
		public DynamoDbCacheConfiguration cacheDefaults() {
			return this.defaultConfiguration;
		}

		/**
		 * Create the named caches at startup with the default configuration.
		 * @param cacheNames the cache names
		 * @return this builder
		 */
		public Builder initialCacheNames(Set<String> cacheNames) {
			Assert.notNull(cacheNames, "Cache names must not be null");
			cacheNames.forEach((name) -> this.initialCaches.putIfAbsent(name, null));
			return this;
		}

		/**
		 * Create a cache at startup with its own configuration.
		 * @param cacheName the cache name
		 * @param configuration its configuration
		 * @return this builder
		 */
		public Builder withCacheConfiguration(String cacheName, DynamoDbCacheConfiguration configuration) {
			Assert.hasText(cacheName, "Cache name must not be empty");
			Assert.notNull(configuration, "DynamoDbCacheConfiguration must not be null");
			this.initialCaches.put(cacheName, configuration);
			return this;
		}

		/**
		 * Create caches at startup with their own configurations.
		 * @param configurations configurations by cache name
		 * @return this builder
		 */
		public Builder withInitialCacheConfigurations(Map<String, DynamoDbCacheConfiguration> configurations) {
			Assert.notNull(configurations, "Cache configurations must not be null");
			configurations.forEach(this::withCacheConfiguration);
			return this;
		}

		/**
		 * Refuse cache names that were not configured up front: {@code getCache} returns {@code null} for
		 * them (Spring then reports the unknown cache).
		 * @return this builder
		 */
		public Builder disableCreateOnMissingCache() {
			this.allowRuntimeCacheCreation = false;
			return this;
		}

		/**
		 * Defer puts and evictions until the surrounding Spring transaction commits.
		 * @return this builder
		 */
		public Builder transactionAware() {
			this.transactionAware = true;
			return this;
		}

		/**
		 * Throw DynamoDB failures to the caller instead of degrading reads to misses and dropping writes.
		 * @return this builder
		 */
		public Builder strict() {
			this.strict = true;
			return this;
		}

		/**
		 * Call a listener for every cache created on demand after startup (for example to bind metrics).
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder onRuntimeCacheCreation(Consumer<DynamoDbCache> listener) {
			Assert.notNull(listener, "Listener must not be null");
			this.runtimeCacheListeners.add(listener);
			return this;
		}

		/**
		 * Return the names of the caches configured so far.
		 * @return the cache names
		 */
		public Set<String> getConfiguredCaches() {
			return Collections.unmodifiableSet(this.initialCaches.keySet());
		}

		/**
		 * Build the manager.
		 * @return the manager
		 */
		public DynamoDbCacheManager build() {
			Map<String, DynamoDbCacheConfiguration> configurations = new LinkedHashMap<>();
			this.initialCaches.forEach((name, configuration) -> configurations.put(name,
					(configuration != null) ? configuration : this.defaultConfiguration));
			DynamoDbCacheManager manager = new DynamoDbCacheManager(this.store, this.defaultConfiguration,
					configurations, this.allowRuntimeCacheCreation, this.strict, this.runtimeCacheListeners);
			manager.setTransactionAware(this.transactionAware);
			return manager;
		}

	}

}
