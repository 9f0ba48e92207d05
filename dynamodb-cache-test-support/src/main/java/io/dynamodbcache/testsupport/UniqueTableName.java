package io.dynamodbcache.testsupport;

/**
 * A DynamoDB table name that no other test class in the JVM receives, injected by
 * {@link DynamoDbLocalExtension}. The table itself is not created.
 *
 * @param value the table name
 */
public record UniqueTableName(String value) {

	@Override
	public String toString() {
		return this.value;
	}

}
