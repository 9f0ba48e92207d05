package io.dynamodbcache.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.dynamodbcache.sample.CatalogService.Timed;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP endpoints of the caching patterns: every response says whether it was a cache hit and how long it
 * took.
 */
@RestController
class CatalogController {

	private final CatalogService catalog;

	CatalogController(CatalogService catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/books/{isbn}")
	Timed<Book> book(@PathVariable String isbn) {
		return this.catalog.timed(() -> this.catalog.findBook(isbn));
	}

	@PutMapping("/books/{isbn}")
	Book updateBook(@PathVariable String isbn, @RequestParam String title) {
		return this.catalog.updateBook(isbn, title);
	}

	@DeleteMapping("/books/{isbn}")
	Map<String, String> evictBook(@PathVariable String isbn) {
		this.catalog.evictBook(isbn);
		return Map.of("evicted", isbn);
	}

	@DeleteMapping("/books")
	Map<String, String> evictAllBooks() {
		this.catalog.evictAllBooks();
		return Map.of("evicted", "all books");
	}

	@GetMapping("/quotes/{symbol}")
	Timed<CatalogService.Quote> quote(@PathVariable String symbol) {
		return this.catalog.timed(() -> this.catalog.quote(symbol));
	}

	@GetMapping("/reports/{id}")
	Timed<CatalogService.Report> report(@PathVariable String id) {
		return this.catalog.timed(() -> this.catalog.report(id));
	}

	/** Fires {@code callers} concurrent requests for one report: with sync = true it is generated once. */
	@GetMapping("/reports/{id}/stampede")
	Map<String, Object> stampede(@PathVariable String id, @RequestParam(defaultValue = "20") int callers) {
		int loadsBefore = this.catalog.loads();
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(Math.max(callers, 1), 64));
		try {
			List<CompletableFuture<Timed<CatalogService.Report>>> calls = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				calls.add(CompletableFuture.supplyAsync(() -> this.catalog.timed(() -> this.catalog.report(id)),
						executor));
			}
			long hits = calls.stream().map(CompletableFuture::join).filter(Timed::cacheHit).count();
			return Map.of("callers", callers, "loads", this.catalog.loads() - loadsBefore, "cacheHits", hits);
		}
		finally {
			executor.shutdown();
		}
	}

}
