package io.dynamodbcache.sample;

/**
 * A catalog entry.
 *
 * @param isbn the ISBN
 * @param title the title
 */
public record Book(String isbn, String title) {
}
