package io.dynamodbcache.spring.cache;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import org.springframework.util.ClassUtils;

/**
 * Runs a property only where Jackson 3 is on the class path: in the Spring Boot 4 build, not in the Spring Boot 3.5
 * build that runs the same tests.
 */
public final class Jackson3Present implements SkipExecutionHook {

	/**
	 * Whether Jackson 3 is on the class path.
	 * @return whether it is
	 */
	public static boolean isPresent() {
		return ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", Jackson3Present.class.getClassLoader());
	}

	@Override
	public SkipResult shouldBeSkipped(LifecycleContext context) {
		return isPresent() ? SkipResult.doNotSkip() : SkipResult.skip("Jackson 3 is not on the class path");
	}

}
