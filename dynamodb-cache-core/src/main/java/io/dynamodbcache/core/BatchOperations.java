package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.RequestPath.Target;

import static io.dynamodbcache.core.ItemLayout.PARTITION_KEY;
import static io.dynamodbcache.core.ItemLayout.SORT_KEY;

/**
 * Batch reads and writes of any size: split into DynamoDB's batch limits (100 keys a BatchGetItem, 25
 * writes a BatchWriteItem), with what DynamoDB leaves unprocessed retried with exponential backoff.
 */
final class BatchOperations {

	static final int BATCH_GET_LIMIT = 100;

	static final int BATCH_WRITE_LIMIT = 25;

	private static final int BATCH_ATTEMPTS = 8;

	private final TableClient table;

	BatchOperations(TableClient table) {
		this.table = table;
	}

	/**
	 * Read the items of primary keys.
	 * @return the items found, by primary key as {@link #keyOf} gives it
	 */
	Map<String, Map<String, AttributeValue>> getAll(String cacheName, List<Map<String, AttributeValue>> primaryKeys) {
		return getAll(cacheName, primaryKeys, false);
	}

	/**
	 * Read the items of primary keys, with the store's read consistency or strongly consistent reads.
	 * @return the items found, by primary key as {@link #keyOf} gives it
	 */
	Map<String, Map<String, AttributeValue>> getAll(String cacheName, List<Map<String, AttributeValue>> primaryKeys,
			boolean consistent) {
		return getAll(cacheName, primaryKeys, consistent, Long.MAX_VALUE);
	}

	/**
	 * {@link #getAll(String, List, boolean)} that sends no request after a deadline ({@link System#nanoTime()}):
	 * what is still unprocessed then fails the read.
	 */
	Map<String, Map<String, AttributeValue>> getAll(String cacheName, List<Map<String, AttributeValue>> primaryKeys,
			boolean consistent, long deadline) {
		Target target = Target.cache(cacheName);
		Map<String, Map<String, AttributeValue>> items = new HashMap<>();
		for (int from = 0; from < primaryKeys.size(); from += BATCH_GET_LIMIT) {
			List<Map<String, AttributeValue>> chunk = primaryKeys.subList(from,
					Math.min(primaryKeys.size(), from + BATCH_GET_LIMIT));
			BatchGetItemResponse response = this.table.batchGetItem(target, chunk, consistent);
			for (int attempt = 1;; attempt++) {
				response.responses().getOrDefault(this.table.tableName(), List.of())
					.forEach((item) -> items.put(keyOf(item), item));
				if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
					break;
				}
				backOff(attempt, cacheName, "read", deadline);
				Map<String, KeysAndAttributes> unprocessed = response.unprocessedKeys();
				response = this.table.batchGetItem(target, unprocessed);
			}
		}
		return items;
	}

	/** Send writes (puts or deletes); not atomic: on failure some may have been written. */
	void writeAll(String cacheName, List<WriteRequest> writes) {
		Target target = Target.cache(cacheName);
		for (int from = 0; from < writes.size(); from += BATCH_WRITE_LIMIT) {
			List<WriteRequest> chunk = new ArrayList<>(
					writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE_LIMIT)));
			Map<String, List<WriteRequest>> pending = Map.of(this.table.tableName(), chunk);
			for (int attempt = 1;; attempt++) {
				BatchWriteItemResponse response = this.table.batchWriteItem(target, pending);
				if (!response.hasUnprocessedItems() || response.unprocessedItems().isEmpty()) {
					break;
				}
				backOff(attempt, cacheName, "write", Long.MAX_VALUE);
				pending = response.unprocessedItems();
			}
		}
	}

	/** The identity of an item's primary key, as a map key. */
	static String keyOf(Map<String, AttributeValue> item) {
		return item.get(PARTITION_KEY).s() + "\n" + item.get(SORT_KEY).s();
	}

	private static void backOff(int attempt, String cacheName, String operation, long deadline) {
		if (attempt >= BATCH_ATTEMPTS) {
			throw new DynamoDbCacheException("DynamoDB left items of a batch " + operation + " on cache '" + cacheName
					+ "' unprocessed after " + BATCH_ATTEMPTS + " attempts: the table is throttled");
		}
		long pause = Math.min(1000, 25L << attempt);
		if (deadline != Long.MAX_VALUE && System.nanoTime() + pause * 1_000_000 - deadline > 0) {
			throw new DynamoDbCacheException("DynamoDB left items of a batch " + operation + " on cache '" + cacheName
					+ "' unprocessed when the call's time budget ran out: the table is throttled");
		}
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DynamoDbCacheException("Interrupted during batch " + operation + " on cache '" + cacheName + "'",
					ex);
		}
	}

}
