package io.dynamodbcache.spring.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where an asynchronous load under the {@linkplain LoadLease load lease} runs: the lease's protocol blocks (it
 * asks DynamoDB, and a waiter pauses between reads), so it must not take the threads of the common fork-join
 * pool, which are as many as the cores. At most {@value #MAX_THREADS} loads of distinct keys at once in a JVM
 * (one key's callers share one load); idle threads end after a minute. A load that finds every thread busy
 * runs without the lease, merged in this JVM: bounded threads, never a queue that grows.
 */
final class LeaseLoadExecutor {

	static final int MAX_THREADS = 64;

	private static final Executor EXECUTOR = newExecutor();

	private LeaseLoadExecutor() {
	}

	static Executor get() {
		return EXECUTOR;
	}

	private static Executor newExecutor() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "dynamodb-cache-lease-load-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
				new ThreadPoolExecutor.AbortPolicy());
	}

}
