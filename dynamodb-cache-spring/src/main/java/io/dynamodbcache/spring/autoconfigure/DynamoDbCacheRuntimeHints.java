package io.dynamodbcache.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a GraalVM native image of an application needs of the library beyond what Spring AOT finds itself:
 * reflection on the records in which the JSON codec stores maps with keys that are not strings, immutable
 * copies, {@code Optional}s and {@code EnumSet}s, which Jackson reads and writes through their constructors
 * and accessors. The application's own cached types need their hints from the application (for example
 * {@code @RegisterReflectionForBinding}), as for any JSON binding.
 */
final class DynamoDbCacheRuntimeHints implements RuntimeHintsRegistrar {

	/** The codec's container records, by name: they are not public. */
	static final List<String> CODEC_RECORDS = List.of("io.dynamodbcache.core.KeyedContainers$KeyedMap",
			"io.dynamodbcache.core.KeyedContainers$ImmutableCopy", "io.dynamodbcache.core.KeyedContainers$OptionalCopy",
			"io.dynamodbcache.core.KeyedContainers$KeyedEnumSet");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		MemberCategory fields = declaredFields();
		for (String record : CODEC_RECORDS) {
			hints.reflection()
				.registerType(TypeReference.of(record), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.INVOKE_DECLARED_METHODS, fields);
		}
	}

	/**
	 * Access to declared fields: {@code ACCESS_DECLARED_FIELDS} on Spring Framework 7 (Boot 4), which
	 * deprecates {@code DECLARED_FIELDS}, the only one Spring Framework 6.2 (Boot 3.5) has.
	 */
	static MemberCategory declaredFields() {
		try {
			return MemberCategory.valueOf("ACCESS_DECLARED_FIELDS");
		}
		catch (IllegalArgumentException springFramework6) {
			return MemberCategory.valueOf("DECLARED_FIELDS");
		}
	}

}
