package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One clear of a cache, its requests run in parallel: a Query per shard, and the deletes they find gathered
 * across shards into full BatchWriteItem requests of 25, so that a clear of n entries over s shards makes
 * about n/25 + s requests. At most {@link #CONCURRENCY} requests run at once, on threads that live as long as
 * the clear.
 */
final class ParallelClear implements AutoCloseable {

	/** Requests in flight at once: enough to hide latency, few enough not to throttle one partition. */
	static final int CONCURRENCY = 8;

	private final String cacheName;

	private final BatchOperations batches;

	private final ExecutorService workers;

	private final List<Future<?>> writes = new ArrayList<>();

	private final List<WriteRequest> pending = new ArrayList<>(BatchOperations.BATCH_WRITE_LIMIT);

	private final AtomicInteger live = new AtomicInteger();

	ParallelClear(String cacheName, BatchOperations batches, int shards) {
		this.cacheName = cacheName;
		this.batches = batches;
		this.workers = Executors.newFixedThreadPool(Math.min(CONCURRENCY, shards + 1), (task) -> {
			Thread thread = new Thread(task, "dynamodb-cache-clear");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Run a shard's queries; they call {@link #delete} for what they find. */
	Future<?> query(Runnable shardQueries) {
		return this.workers.submit(shardQueries);
	}

	/** Delete an item; sends a batch as soon as 25 deletes are gathered. */
	void delete(WriteRequest delete, boolean wasLive) {
		if (wasLive) {
			this.live.incrementAndGet();
		}
		List<WriteRequest> full = null;
		synchronized (this.pending) {
			this.pending.add(delete);
			if (this.pending.size() == BatchOperations.BATCH_WRITE_LIMIT) {
				full = new ArrayList<>(this.pending);
				this.pending.clear();
			}
		}
		if (full != null) {
			send(full);
		}
	}

	/**
	 * Wait for the queries, send the last partial batch and wait for every batch.
	 * @return how many live entries were deleted
	 */
	int finish(List<Future<?>> queries) {
		awaitAll(queries);
		List<WriteRequest> rest;
		synchronized (this.pending) {
			rest = new ArrayList<>(this.pending);
			this.pending.clear();
		}
		if (!rest.isEmpty()) {
			send(rest);
		}
		List<Future<?>> sent;
		synchronized (this.writes) {
			sent = new ArrayList<>(this.writes);
		}
		awaitAll(sent);
		return this.live.get();
	}

	private void send(List<WriteRequest> batch) {
		Future<?> write = this.workers.submit(() -> this.batches.writeAll(this.cacheName, batch));
		synchronized (this.writes) {
			this.writes.add(write);
		}
	}

	private void awaitAll(List<Future<?>> futures) {
		for (Future<?> future : futures) {
			try {
				future.get();
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new DynamoDbCacheException("Could not clear cache '" + this.cacheName + "': " + cause, cause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DynamoDbCacheException("Interrupted while clearing cache '" + this.cacheName + "'", ex);
			}
		}
	}

	@Override
	public void close() {
		this.workers.shutdownNow();
	}

}
