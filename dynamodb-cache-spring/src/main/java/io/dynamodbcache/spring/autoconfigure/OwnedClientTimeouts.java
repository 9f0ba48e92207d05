package io.dynamodbcache.spring.autoconfigure;

import java.util.concurrent.ScheduledExecutorService;

import io.dynamodbcache.core.RequestBudget;
import org.springframework.beans.factory.DisposableBean;

/**
 * The timeout scheduler of the clients the starter builds ({@link RequestBudget#newTimeoutScheduler()}),
 * shut down with the context. A holder rather than a {@link ScheduledExecutorService} bean, so that
 * nothing else in the application (such as {@code @Scheduled}) picks it up.
 */
final class OwnedClientTimeouts implements DisposableBean {

	private final ScheduledExecutorService scheduler = RequestBudget.newTimeoutScheduler();

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
