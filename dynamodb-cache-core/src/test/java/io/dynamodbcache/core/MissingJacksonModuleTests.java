package io.dynamodbcache.core;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jackson 2 is optional in core, and JacksonValueCodec needs four of its artifacts: an application that has
 * jackson-databind (through another library) but not the modules gets an error that names what to add, not a
 * {@code NoClassDefFoundError}. Core is loaded here on a class path without jackson-datatype-jdk8.
 */
class MissingJacksonModuleTests {

	@Test
	void aMissingJackson2ModuleIsAnErrorThatNamesTheArtifacts() throws Exception {
		try (URLClassLoader withoutJdk8Module = classPathWithout("jackson-datatype-jdk8")) {
			Class<?> codec = Class.forName(JacksonValueCodec.class.getName(), true, withoutJdk8Module);
			Object builder = codec.getMethod("builder").invoke(null);

			Throwable failure = null;
			try {
				builder.getClass().getMethod("build").invoke(builder);
			}
			catch (InvocationTargetException ex) {
				failure = ex.getCause();
			}

			assertThat(failure).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("com.fasterxml.jackson.datatype:jackson-datatype-jdk8")
				.hasMessageContaining("missing: com.fasterxml.jackson.datatype.jdk8.Jdk8Module")
				.hasMessageContaining("Jackson3ValueCodec");
		}
	}

	/** The test class path minus the entries whose path contains {@code excluded}, loaded apart from this one. */
	private static URLClassLoader classPathWithout(String excluded) throws MalformedURLException {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (!entry.contains(excluded)) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		assertThat(urls).hasSizeLessThan(System.getProperty("java.class.path").split(File.pathSeparator).length);
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

}
