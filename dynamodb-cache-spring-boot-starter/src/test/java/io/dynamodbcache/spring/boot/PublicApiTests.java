package io.dynamodbcache.spring.boot;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API of the Java modules is exactly the list in the README's "Modules": a type that becomes public
 * by accident (to be reached from another package, say) fails here, before a release freezes it. Each package
 * is read from the class path as the application gets it (the modules' jars or classes), its top-level types
 * loaded without initialization. Runs on both Boot generations.
 */
class PublicApiTests {

	static Stream<Arguments> packages() {
		return Stream.of(Arguments.of("io.dynamodbcache.core",
				List.of("CacheCodecException", "CacheEntry", "CacheValueTooLargeException", "ClientSettings",
						"DynamoDbCacheException", "DynamoDbCacheStore", "DynamoDbCacheStoreBuilder", "DynamoDbLeases",
						"DynamoDbRequestListener", "Jackson3ValueCodec", "JacksonValueCodec",
						"JavaSerializationValueCodec", "NearCacheListener", "NearCacheSettings", "RequestBudget",
						"UnconfirmedEvictionException", "ValueCodec")),
				Arguments.of("io.dynamodbcache.spring.cache",
						List.of("CacheStatistics", "DynamoDbCache", "DynamoDbCacheConfiguration", "DynamoDbCacheManager",
								"TtlFunction")),
				Arguments.of("io.dynamodbcache.spring.autoconfigure",
						List.of("DynamoDbCacheAutoConfiguration", "DynamoDbCacheConnectionDetails", "DynamoDbCacheHealth",
								"DynamoDbCacheManagerBuilderCustomizer", "DynamoDbCacheManagerCustomizer",
								"DynamoDbCacheProperties", "DynamoDbCacheStoreBuilderCustomizer")),
				Arguments.of("io.dynamodbcache.spring.metrics",
						List.of("DynamoDbCacheMetrics", "DynamoDbCacheStoreMetrics", "DynamoDbNearCacheMetrics")),
				Arguments.of("io.dynamodbcache.spring.boot",
						List.of("DynamoDbCacheBootAutoConfiguration", "DynamoDbCacheHealthIndicator",
								"DynamoDbCacheMeterBinderProvider")),
				Arguments.of("io.dynamodbcache.testsupport", List.of("DynamoDbLimits", "DynamoDbLocal",
						"DynamoDbLocalExtension", "DynamoDbLocalTest", "FaultProxy", "MutableClock", "SampleValues",
						"UniqueTableName")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("packages")
	void thePublicTypesOfEachPackageAreTheListedOnes(String packageName, List<String> listed) throws Exception {
		List<String> publicTypes = new ArrayList<>();
		for (String name : topLevelTypes(packageName)) {
			Class<?> type = Class.forName(packageName + "." + name, false, getClass().getClassLoader());
			if (Modifier.isPublic(type.getModifiers())) {
				publicTypes.add(name);
			}
		}
		assertThat(publicTypes).as("public types of %s (the README's \"Modules\" lists them)", packageName)
			.containsExactlyInAnyOrderElementsOf(listed);
	}

	/** The top-level types of a package, from every class path entry that has it (main classes only). */
	private static TreeSet<String> topLevelTypes(String packageName) throws IOException, URISyntaxException {
		String path = packageName.replace('.', '/');
		TreeSet<String> names = new TreeSet<>();
		for (URL url : Collections.list(PublicApiTests.class.getClassLoader().getResources(path))) {
			if (url.getProtocol().equals("jar")) {
				try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
					for (JarEntry entry : Collections.list(jar.entries())) {
						addTopLevel(names, path, entry.getName());
					}
				}
			}
			else if (!url.getPath().contains("test-classes")) {
				Path directory = Path.of(url.toURI());
				try (Stream<Path> files = Files.list(directory)) {
					files.forEach((file) -> addTopLevel(names, path, path + "/" + file.getFileName()));
				}
			}
		}
		assertThat(names).as("types of %s on the class path", packageName).isNotEmpty();
		return names;
	}

	private static void addTopLevel(TreeSet<String> names, String path, String entry) {
		if (!entry.startsWith(path + "/")) {
			return;
		}
		String simple = entry.substring(path.length() + 1);
		if (simple.endsWith(".class") && !simple.contains("/") && !simple.contains("$")
				&& !simple.equals("package-info.class")) {
			names.add(simple.substring(0, simple.length() - ".class".length()));
		}
	}

}
