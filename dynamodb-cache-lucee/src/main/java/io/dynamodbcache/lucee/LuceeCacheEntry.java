package io.dynamodbcache.lucee;

import java.util.Date;

import io.dynamodbcache.core.CacheEntry;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.type.Struct;

/**
 * A store entry as Lucee sees it. Hit count and last hit are this node's: counting them in DynamoDB would
 * cost a write per read.
 */
final class LuceeCacheEntry implements lucee.commons.io.cache.CacheEntry {

	private final CacheEntry entry;

	private final EntryHits.Hits hits;

	LuceeCacheEntry(CacheEntry entry, EntryHits.Hits hits) {
		this.entry = entry;
		this.hits = hits;
	}

	@Override
	public Date lastHit() {
		long lastHit = this.hits.lastHit();
		return (lastHit > 0) ? new Date(lastHit) : null;
	}

	@Override
	public Date lastModified() {
		return Date.from(this.entry.createdAt());
	}

	@Override
	public Date created() {
		return Date.from(this.entry.firstCreatedAt());
	}

	@Override
	public int hitCount() {
		return this.hits.count();
	}

	@Override
	public String getKey() {
		return this.entry.key();
	}

	@Override
	public Object getValue() {
		return this.entry.value();
	}

	@Override
	public long size() {
		return this.entry.storedSize();
	}

	@Override
	public long liveTimeSpan() {
		return (this.entry.timeToLive() != null) ? this.entry.timeToLive().toMillis() : 0;
	}

	@Override
	public long idleTimeSpan() {
		return (this.entry.timeToIdle() != null) ? this.entry.timeToIdle().toMillis() : 0;
	}

	@Override
	public Struct getCustomInfo() {
		Struct info = CFMLEngineFactory.getInstance().getCreationUtil().createStruct();
		info.setEL("expiresAt",
				(this.entry.expiresAt() != null) ? new Date(this.entry.expiresAt().toEpochMilli()) : "never");
		info.setEL("storedSize", this.entry.storedSize());
		return info;
	}

}
