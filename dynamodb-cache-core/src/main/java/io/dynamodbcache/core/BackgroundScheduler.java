package io.dynamodbcache.core;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of a store's occasional background work (retrying evictions, probing an open breaker): one
 * daemon thread that exists only while there is work, and cancelled tasks removed at once.
 */
final class BackgroundScheduler {

	private BackgroundScheduler() {
	}

	/**
	 * @param threadName the thread's name, as thread dumps show it
	 * @param idle how long the thread outlives its last task
	 */
	static ScheduledThreadPoolExecutor create(String threadName, Duration idle) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setKeepAliveTime(idle.toMillis(), TimeUnit.MILLISECONDS);
		scheduler.allowCoreThreadTimeOut(true);
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

}
