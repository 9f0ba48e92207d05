package io.dynamodbcache.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AOT processing of a context with the auto-configuration registers the codec's hints: the
 * registrar is imported, and its hints name classes that exist.
 */
class DynamoDbCacheRuntimeHintsTests {

	@Test
	void aotProcessingOfTheAutoConfigurationRegistersReflectionOnTheCodecsRecords() throws Exception {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(DynamoDbCacheAutoConfiguration.class);
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());

		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);

		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(DynamoDbCacheRuntimeHints.CODEC_RECORDS).hasSize(4).allSatisfy((name) -> {
			Class<?> record = Class.forName(name);
			assertThat(record.isRecord()).as(name).isTrue();
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(name))
				.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS,
						DynamoDbCacheRuntimeHints.declaredFields()))
				.as(name)
				.accepts(hints);
		});
	}

}
