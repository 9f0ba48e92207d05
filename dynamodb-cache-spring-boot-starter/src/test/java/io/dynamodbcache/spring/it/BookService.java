package io.dynamodbcache.spring.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;

public class BookService {

	private final AtomicInteger loads = new AtomicInteger();

	public int loadCount() {
		return this.loads.get();
	}

	@Cacheable("books")
	public Book find(String isbn) {
		this.loads.incrementAndGet();
		return new Book(isbn, "Title of " + isbn);
	}

	@Cacheable(cacheNames = "books", key = "#isbn + ':' + #edition")
	public Book findEdition(String isbn, int edition) {
		this.loads.incrementAndGet();
		return new Book(isbn, "Edition " + edition);
	}

	@Cacheable("prices")
	public Double price(String isbn) {
		this.loads.incrementAndGet();
		return 9.99;
	}

	@Cacheable("missing")
	public Book findNothing(String isbn) {
		this.loads.incrementAndGet();
		return null;
	}

	@Cacheable(cacheNames = "books", sync = true)
	public Book findSlowly(String isbn) throws InterruptedException {
		this.loads.incrementAndGet();
		Thread.sleep(300);
		return new Book(isbn, "Slow");
	}

	@Cacheable("async-books")
	public CompletableFuture<Book> findAsync(String isbn) {
		this.loads.incrementAndGet();
		return CompletableFuture.completedFuture(new Book(isbn, "Async"));
	}

	@Cacheable(cacheNames = "async-books", sync = true)
	public CompletableFuture<Book> findAsyncSlowly(String isbn) {
		this.loads.incrementAndGet();
		return CompletableFuture.supplyAsync(() -> new Book(isbn, "Async slow"),
				CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS));
	}

	@CachePut(cacheNames = "books", key = "#book.isbn")
	public Book update(Book book) {
		return book;
	}

	@Caching(evict = { @CacheEvict(cacheNames = "books", key = "#isbn"), @CacheEvict(cacheNames = "prices", key = "#isbn") })
	public void remove(String isbn) {
	}

	@CacheEvict(cacheNames = "books", allEntries = true)
	public void removeAll() {
	}

	public record Book(String isbn, String title) {
	}

}
