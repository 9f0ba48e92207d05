package io.dynamodbcache.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.RequestPath.Target;

import static io.dynamodbcache.core.ItemLayout.PARTITION_KEY;
import static io.dynamodbcache.core.ItemLayout.SORT_KEY;

/**
 * Work on a whole cache: keys, count and clear, each one paged Query per shard of that cache (never a Scan
 * of the table); clear deletes in batches, its queries and batches in parallel.
 */
final class ShardScan {

	/** The filter of a whole-cache clear, which also removes items whose key cannot be read. */
	static final Predicate<String> ALL_KEYS = (key) -> true;

	private final TableClient table;

	private final ItemLayout layout;

	private final BatchOperations batches;

	private final Clock clock;

	ShardScan(TableClient table, ItemLayout layout, Clock clock) {
		this.table = table;
		this.layout = layout;
		this.batches = new BatchOperations(table);
		this.clock = clock;
	}

	List<String> keys(String cacheName, Predicate<String> filter) {
		List<String> keys = new ArrayList<>();
		Expression liveOnly = Expressions.liveFilter(this.clock.millis());
		forEachPage(cacheName, Expressions.keyProjection(), liveOnly, (page) -> page.items().forEach((item) -> {
			String key = ItemLayout.logicalKey(item);
			if (key != null && filter.test(key)) {
				keys.add(key);
			}
		}));
		return keys;
	}

	long count(String cacheName) {
		long[] count = new long[1];
		forEachPage(cacheName, null, Expressions.liveFilter(this.clock.millis()),
				(page) -> count[0] += page.count());
		return count[0];
	}

	/**
	 * Remove the matching entries, expired ones included, querying the shards and deleting in parallel (see
	 * {@link ParallelClear}); returns how many live ones were removed.
	 */
	int clear(String cacheName, Predicate<String> filter) {
		long now = this.clock.millis();
		Target target = Target.cache(cacheName);
		try (ParallelClear clear = new ParallelClear(cacheName, this.batches, this.layout.shards())) {
			List<Future<?>> queries = new ArrayList<>();
			for (int shard = 0; shard < this.layout.shards(); shard++) {
				String partitionKey = this.layout.partitionKey(cacheName, shard);
				queries.add(clear.query(() -> forEachPage(target, partitionKey, Expressions.deleteProjection(), null,
						(page) -> deleteMatching(page, filter, now, clear))));
			}
			return clear.finish(queries);
		}
	}

	private static void deleteMatching(QueryResponse page, Predicate<String> filter, long now, ParallelClear clear) {
		for (Map<String, AttributeValue> item : page.items()) {
			String key = ItemLayout.logicalKey(item);
			if ((key != null) ? filter.test(key) : filter == ALL_KEYS) {
				Map<String, AttributeValue> primaryKey = Map.of(PARTITION_KEY, item.get(PARTITION_KEY), SORT_KEY,
						item.get(SORT_KEY));
				clear.delete(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(primaryKey).build()).build(),
						ItemMapper.isUnexpired(item, now));
				for (WriteRequest chunk : ChunkedValues.chunkDeletes(item, now)) {
					clear.delete(chunk, false);
				}
			}
		}
	}

	/**
	 * Query every page of every shard of a cache, one shard after the other.
	 * @param projection the attributes to read, or {@code null} to count only
	 * @param filter which items to return, or {@code null} for all
	 */
	private void forEachPage(String cacheName, @Nullable Expression projection, @Nullable Expression filter,
			Consumer<QueryResponse> pageAction) {
		Target target = Target.cache(cacheName);
		for (int shard = 0; shard < this.layout.shards(); shard++) {
			forEachPage(target, this.layout.partitionKey(cacheName, shard), projection, filter, pageAction);
		}
	}

	/** Query every page of one shard. */
	private void forEachPage(Target target, String partitionKey, @Nullable Expression projection,
			@Nullable Expression filter, Consumer<QueryResponse> pageAction) {
		Map<String, AttributeValue> startKey = null;
		do {
			QueryResponse page = this.table.query(target, partitionKey, projection, filter, startKey);
			pageAction.accept(page);
			startKey = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
		}
		while (startKey != null && !startKey.isEmpty());
	}

}
