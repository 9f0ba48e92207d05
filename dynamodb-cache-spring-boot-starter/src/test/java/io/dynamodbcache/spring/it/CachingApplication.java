package io.dynamodbcache.spring.it;

import io.dynamodbcache.spring.autoconfigure.DynamoDbCacheStoreBuilderCustomizer;
import io.dynamodbcache.testsupport.MutableClock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@EnableCaching
public class CachingApplication {

	static final MutableClock CLOCK = MutableClock.startingNow();

	@Bean
	BookService bookService() {
		return new BookService();
	}

	@Bean
	DynamoDbCacheStoreBuilderCustomizer testClock() {
		return (builder) -> builder.clock(CLOCK);
	}

}
