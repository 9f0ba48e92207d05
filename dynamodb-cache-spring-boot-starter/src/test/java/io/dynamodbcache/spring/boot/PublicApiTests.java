package io.dynamodbcache.spring.boot;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API of the Java modules is exactly the list in the README's "Modules": a type that becomes public
 * by accident (to be reached from another package, say) fails here, before a release freezes it. Each package
 * is read from the class path as the application gets it (the modules' jars or classes), and each top-level
 * type's access flags from its class file. Runs on both Boot generations.
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
		topLevelClassFiles(packageName).forEach((name, classFile) -> {
			if (isPublic(classFile)) {
				publicTypes.add(name);
			}
		});
		assertThat(publicTypes).as("public types of %s (the README's \"Modules\" lists them)", packageName)
			.containsExactlyInAnyOrderElementsOf(listed);
	}

	/**
	 * Whether a class file declares a public type, read from its access flags rather than by loading it: some
	 * types need an optional library that this class path may lack (Jackson 3 on Boot 3.5).
	 */
	private static boolean isPublic(byte[] classFile) {
		try {
			DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
			in.skipBytes(8); // magic, minor and major version
			int constants = in.readUnsignedShort();
			for (int index = 1; index < constants; index++) {
				int tag = in.readUnsignedByte();
				switch (tag) {
					case 1 -> in.skipBytes(in.readUnsignedShort()); // Utf8
					case 5, 6 -> { // Long, Double: two slots
						in.skipBytes(8);
						index++;
					}
					case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
					case 15 -> in.skipBytes(3);
					case 7, 8, 16, 19, 20 -> in.skipBytes(2);
					default -> throw new IllegalStateException("Unknown constant pool tag " + tag);
				}
			}
			return (in.readUnsignedShort() & 0x0001) != 0; // ACC_PUBLIC
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The top-level types of a package, from every class path entry that has it (main classes only). */
	private static Map<String, byte[]> topLevelClassFiles(String packageName) throws IOException, URISyntaxException {
		String path = packageName.replace('.', '/');
		Map<String, byte[]> classFiles = new TreeMap<>();
		for (URL url : Collections.list(PublicApiTests.class.getClassLoader().getResources(path))) {
			if (url.getProtocol().equals("jar")) {
				try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
					for (JarEntry entry : Collections.list(jar.entries())) {
						String name = topLevelName(path, entry.getName());
						if (name != null) {
							try (InputStream in = jar.getInputStream(entry)) {
								classFiles.put(name, in.readAllBytes());
							}
						}
					}
				}
			}
			else if (!url.getPath().contains("test-classes")) {
				try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
					for (Path file : files.toList()) {
						String name = topLevelName(path, path + "/" + file.getFileName());
						if (name != null) {
							classFiles.put(name, Files.readAllBytes(file));
						}
					}
				}
			}
		}
		assertThat(classFiles).as("types of %s on the class path", packageName).isNotEmpty();
		return classFiles;
	}

	private static @Nullable String topLevelName(String path, String entry) {
		if (!entry.startsWith(path + "/")) {
			return null;
		}
		String simple = entry.substring(path.length() + 1);
		if (simple.endsWith(".class") && !simple.contains("/") && !simple.contains("$")
				&& !simple.equals("package-info.class")) {
			return simple.substring(0, simple.length() - ".class".length());
		}
		return null;
	}

}
