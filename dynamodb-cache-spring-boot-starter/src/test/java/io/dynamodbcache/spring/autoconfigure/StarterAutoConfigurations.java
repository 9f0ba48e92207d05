package io.dynamodbcache.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/**
 * The auto-configurations of whichever starter (Boot 3.5 or 4.x) is on the test class path, with that
 * generation's own cache auto-configuration, so that one test runs on both generations.
 */
public final class StarterAutoConfigurations {

	private static final List<String> BOOT_CACHE_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
			"org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration");

	private StarterAutoConfigurations() {
	}

	/**
	 * Return the starter's auto-configurations and Spring Boot's cache auto-configuration.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations withBootCache() {
		ClassLoader loader = StarterAutoConfigurations.class.getClassLoader();
		List<Class<?>> classes = new ArrayList<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class, loader)) {
			if (name.startsWith("io.dynamodbcache.")) {
				classes.add(ClassUtils.resolveClassName(name, loader));
			}
		}
		BOOT_CACHE_AUTO_CONFIGURATIONS.stream()
			.filter((name) -> ClassUtils.isPresent(name, loader))
			.forEach((name) -> classes.add(ClassUtils.resolveClassName(name, loader)));
		if (classes.size() < 3) {
			throw new IllegalStateException("Expected the starter's two auto-configurations and Boot's cache "
					+ "auto-configuration on the class path, found " + classes);
		}
		return AutoConfigurations.of(classes.toArray(Class<?>[]::new));
	}

}
