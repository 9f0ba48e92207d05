package io.dynamodbcache.checks.kotlin

import io.dynamodbcache.core.DynamoDbCacheStore
import io.dynamodbcache.core.Jackson3ValueCodec
import io.dynamodbcache.core.JacksonValueCodec
import io.dynamodbcache.spring.boot.test.AutoConfigureDynamoDbLocal
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.cache.CacheManager

/**
 * Kotlin data classes, with default arguments and nullable fields, cached through `@Cacheable` on DynamoDB Local
 * and read back equal: Jackson's Kotlin module is registered because it is on the class path, and the
 * application's package is allowed because it is the @SpringBootApplication's.
 */
@SpringBootTest(properties = ["dynamodb.cache.table-name=kotlin-catalog"])
@AutoConfigureDynamoDbLocal
class KotlinDataClassCachingTests(
	@Autowired val books: BookService,
	@Autowired val cacheManager: CacheManager,
	@Autowired val store: DynamoDbCacheStore,
) {

	@Test
	fun `a data class with default arguments and null fields comes back equal through @Cacheable`() {
		for (isbn in listOf("978-1", "978-2")) {
			val loadsBefore = books.loads.get()

			val loaded = books.find(isbn)
			val cached = books.find(isbn)

			assertThat(books.loads.get()).`as`(isbn).isEqualTo(loadsBefore + 1)
			assertThat(cached).isEqualTo(loaded)
			// Read from DynamoDB and decoded, not the loaded instance kept in memory.
			val stored = cacheManager.getCache("books")!!.get(isbn)!!.get()
			assertThat(stored).isEqualTo(loaded).isNotSameAs(loaded).isInstanceOf(Book::class.java)
		}
		val defaults = books.find("978-1")
		assertThat(defaults.subtitle).isNull()
		// Kotlin's empty collections are singletons, and come back as themselves.
		assertThat(defaults.tags).isSameAs(emptyList<String>())
		assertThat(defaults.ratings).isSameAs(emptyMap<String, Int>())
		assertThat(defaults.formats).isSameAs(emptySet<String>())
		assertThat(books.find("978-2").edition).isEqualTo(Edition(1969))
	}

	@Test
	fun `the Spring Boot 4 starter encodes with Jackson 3`() {
		assertThat(store.codec).isInstanceOf(Jackson3ValueCodec::class.java)
	}

	@Test
	fun `both Jackson generations read each other's Kotlin data classes`() {
		val jackson2 = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.checks.kotlin").build()
		val jackson3 = Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.checks.kotlin").build()
		val book = Book("978-3", "Tehanu", tags = listOf("a", "b"), edition = Edition(1990, publisher = null))

		assertThat(jackson3.decode(jackson2.encode(book))).isEqualTo(book)
		assertThat(jackson2.decode(jackson3.encode(book))).isEqualTo(book)
		// A value stored before a new field with a default was added to the class reads with that default.
		val olderForm = String(jackson3.encode(book), Charsets.UTF_8).replace(",\"pages\":100", "")
		assertThat(olderForm).doesNotContain("pages")
		assertThat(jackson3.decode(olderForm.toByteArray())).isEqualTo(book)
		assertThat(jackson2.decode(olderForm.toByteArray())).isEqualTo(book)
	}

}
