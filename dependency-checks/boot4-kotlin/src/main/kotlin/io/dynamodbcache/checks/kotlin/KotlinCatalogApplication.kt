package io.dynamodbcache.checks.kotlin

import java.util.concurrent.atomic.AtomicInteger
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication
import org.springframework.cache.annotation.Cacheable
import org.springframework.cache.annotation.EnableCaching
import org.springframework.stereotype.Service

@SpringBootApplication
@EnableCaching
class KotlinCatalogApplication

fun main(args: Array<String>) {
	runApplication<KotlinCatalogApplication>(*args)
}

/** A Kotlin data class: no default constructor, a default argument, nullable fields. */
data class Book(
	val isbn: String,
	val title: String,
	val subtitle: String? = null,
	val pages: Int = 100,
	val tags: List<String> = emptyList(),
	val edition: Edition? = null,
	val ratings: Map<String, Int> = emptyMap(),
	val formats: Set<String> = emptySet(),
)

data class Edition(val year: Int, val publisher: String? = null)

@Service
class BookService {

	val loads = AtomicInteger()

	@Cacheable("books")
	fun find(isbn: String): Book {
		loads.incrementAndGet()
		return if (isbn.endsWith("1")) Book(isbn, "A Wizard of Earthsea")
		else Book(isbn, "The Left Hand of Darkness", subtitle = "A novel", tags = listOf("classic"),
			edition = Edition(1969))
	}

}
