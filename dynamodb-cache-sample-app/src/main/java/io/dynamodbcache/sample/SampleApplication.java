package io.dynamodbcache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small catalog service showing each caching pattern on DynamoDB. Without configuration it runs on an
 * embedded DynamoDB Local (see {@link EmbeddedDynamoDbEnvironmentPostProcessor}).
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
