package io.dynamodbcache.spring.boot;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.dynamodbcache.core.DynamoDbCacheStore;
import io.dynamodbcache.core.Jackson3ValueCodec;
import io.dynamodbcache.core.JacksonValueCodec;
import io.dynamodbcache.spring.autoconfigure.StarterAutoConfigurations;
import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.DynamoDbLocalTest;
import io.dynamodbcache.testsupport.UniqueTableName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Spring Boot 4 values are encoded with Jackson 3 unless {@code dynamodb.cache.codec} says otherwise, and a
 * Spring Boot 3.5 service (Jackson 2) and a Spring Boot 4 service (Jackson 3) sharing the table read each other's
 * entries.
 */
@DynamoDbLocalTest
class Boot4JsonCodecTests {

	private ApplicationContextRunner runner;

	@BeforeEach
	void setUp(DynamoDbLocal local, UniqueTableName table) {
		this.runner = new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.withBootCache())
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("dynamodb.cache.endpoint=" + local.endpoint(), "dynamodb.cache.table-name=" + table.value(),
					"dynamodb.cache.allowed-packages=io.dynamodbcache.spring.boot");
	}

	@Test
	void valuesAreEncodedWithJackson3ByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
			.isInstanceOf(Jackson3ValueCodec.class));
	}

	@Test
	void jackson2CanBeChosen() {
		this.runner.withPropertyValues("dynamodb.cache.codec=jackson2")
			.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
				.isInstanceOf(JacksonValueCodec.class));
	}

	@Test
	void withoutJackson3OnTheClassPathValuesAreEncodedWithJackson2() {
		this.runner.withClassLoader(new FilteredClassLoader("tools.jackson."))
			.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
				.isInstanceOf(JacksonValueCodec.class));
	}

	@Test
	void choosingACodecWhoseLibraryIsMissingIsAClearErrorWhoseAdviceWorks() {
		ApplicationContextRunner withoutJackson3 = this.runner.withClassLoader(new FilteredClassLoader("tools.jackson."));
		withoutJackson3.withPropertyValues("dynamodb.cache.codec=jackson").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("dynamodb.cache.codec=jackson needs Jackson 3 (tools.jackson.core:jackson-databind)")
				.hasMessageContaining("set dynamodb.cache.codec=jackson2");
		});
		withoutJackson3.withPropertyValues("dynamodb.cache.codec=jackson2")
			.run((context) -> assertThat(context.getBean(DynamoDbCacheStore.class).getCodec())
				.isInstanceOf(JacksonValueCodec.class));
	}

	@Test
	void anUnknownCodecIsAnErrorThatNamesTheSetting() {
		this.runner.withPropertyValues("dynamodb.cache.codec=gson").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'dynamodb.cache.codec'")
				.hasStackTraceContaining("for value [gson]");
		});
	}

	@Test
	void servicesOnEitherJacksonGenerationReadEachOthersEntries() {
		Catalog written = new Catalog("Earthsea", EnumSet.of(Shelf.FANTASY), new TreeMap<>(Map.of(1968L, "A Wizard of Earthsea")),
				List.of(LocalDate.of(1968, 11, 1)), Map.of("rating", 4.5));
		this.runner.withPropertyValues("dynamodb.cache.codec=jackson2")
			.run((boot3Service) -> this.runner.run((boot4Service) -> {
				cache(boot3Service.getBean(CacheManager.class)).put("from-jackson2", written);
				cache(boot4Service.getBean(CacheManager.class)).put("from-jackson3", written);

				Object readByJackson3 = cache(boot4Service.getBean(CacheManager.class)).get("from-jackson2").get();
				Object readByJackson2 = cache(boot3Service.getBean(CacheManager.class)).get("from-jackson3").get();

				assertThat(readByJackson3).isEqualTo(written).hasSameClassAs(written);
				assertThat(readByJackson2).isEqualTo(written).hasSameClassAs(written);
				assertThat(((Catalog) readByJackson3).editions()).isInstanceOf(TreeMap.class);
			}));
	}

	private static Cache cache(CacheManager manager) {
		return manager.getCache("catalogs");
	}

	enum Shelf {

		FANTASY, POETRY

	}

	record Catalog(String name, EnumSet<Shelf> shelves, TreeMap<Long, String> editions, List<LocalDate> published,
			Map<String, Object> extras) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
