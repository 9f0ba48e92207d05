package io.dynamodbcache.spring.cache;

import java.time.Duration;

/**
 * Counters of one {@link DynamoDbCache} since it was created in this JVM.
 */
public interface CacheStatistics {

	/**
	 * Return the number of lookups.
	 * @return hits plus misses
	 */
	default long getGets() {
		return getHits() + getMisses();
	}

	/**
	 * Return the number of lookups that found an entry.
	 * @return the hit count
	 */
	long getHits();

	/**
	 * Return the number of lookups that found none (including lookups degraded to a miss by a failure).
	 * @return the miss count
	 */
	long getMisses();

	/**
	 * Return the number of values written.
	 * @return the put count
	 */
	long getPuts();

	/**
	 * Return the number of evictions and clears.
	 * @return the eviction count
	 */
	long getEvictions();

	/**
	 * Return the number of values loaded by {@code get(key, loader)} and {@code retrieve(key, loader)}.
	 * @return the load count
	 */
	long getLoads();

	/**
	 * Return the total time spent in those loads.
	 * @return the load time
	 */
	Duration getTotalLoadTime();

	/**
	 * Return the number of DynamoDB failures the cache degraded (or, in strict mode, rethrew).
	 * @return the failure count
	 */
	long getFailures();

}
