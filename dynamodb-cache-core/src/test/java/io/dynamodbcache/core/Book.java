package io.dynamodbcache.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

record Book(String isbn, String title, List<Author> authors, BigDecimal price, Instant published) {
}
