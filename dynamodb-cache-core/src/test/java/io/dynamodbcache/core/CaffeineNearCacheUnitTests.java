package io.dynamodbcache.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache's rules: stamps void the offers of reads that overlapped an invalidation, copies are served
 * up to the time-to-live or the entry's expiry, idle-expiring items are never copied.
 */
class CaffeineNearCacheUnitTests {

	private static final long NOW = 1_000_000;

	private final List<String> events = new ArrayList<>();

	private final CaffeineNearCache nearCache = new CaffeineNearCache(new NearCacheSettings(100, Duration.ofSeconds(10)),
			new NearCacheListener() {

				@Override
				public void hit(String cacheName) {
					CaffeineNearCacheUnitTests.this.events.add("hit " + cacheName);
				}

				@Override
				public void miss(String cacheName) {
					CaffeineNearCacheUnitTests.this.events.add("miss " + cacheName);
				}

				@Override
				public void invalidated(String cacheName, boolean fromStream) {
					CaffeineNearCacheUnitTests.this.events.add("invalidated " + cacheName + (fromStream ? " by stream" : ""));
				}

			});

	private static Map<String, AttributeValue> item(String value) {
		return Map.of(ItemLayout.VALUE, AttributeValue.fromS(value));
	}

	@Test
	void aReadOfferedWithTheStampTakenBeforeItIsServed() {
		long stamp = this.nearCache.stamp("c", "k");
		this.nearCache.offer("c", "k", stamp, item("v"), NOW);

		assertThat(this.nearCache.get("c", "k", NOW)).isEqualTo(item("v"));
		assertThat(this.events).containsExactly("hit c");
	}

	@Test
	void aReadThatOverlappedAnInvalidationOfItsKeyIsNotKept() {
		long stamp = this.nearCache.stamp("c", "k");
		this.nearCache.invalidate("c", "k", true);
		this.nearCache.offer("c", "k", stamp, item("old"), NOW);

		assertThat(this.nearCache.get("c", "k", NOW)).isNull();
	}

	@Test
	void aReadThatOverlappedAClearOfItsCacheIsNotKept() {
		long stamp = this.nearCache.stamp("c", "k");
		this.nearCache.invalidateCache("c");
		this.nearCache.offer("c", "k", stamp, item("old"), NOW);

		assertThat(this.nearCache.get("c", "k", NOW)).isNull();
	}

	@Test
	void anInvalidationOfAnotherCacheDoesNotVoidAnOffer() {
		long stamp = this.nearCache.stamp("c", "k");
		this.nearCache.invalidate("other", "k", false);
		this.nearCache.offer("c", "k", stamp, item("v"), NOW);

		assertThat(this.nearCache.get("c", "k", NOW)).isEqualTo(item("v"));
	}

	@Test
	void aCopyIsServedForTheTimeToLiveAfterItWasReadLessUpToATenthSoThatCopiesTakenTogetherExpireApart() {
		for (int i = 0; i < 100; i++) {
			this.nearCache.offer("c", "k" + i, this.nearCache.stamp("c", "k" + i), item("v"), NOW);
		}

		long servedAtNineTenths = IntStream.range(0, 100)
			.filter((i) -> this.nearCache.get("c", "k" + i, NOW + 8_999) != null)
			.count();
		long servedAtNineteenTwentieths = IntStream.range(0, 100)
			.filter((i) -> this.nearCache.get("c", "k" + i, NOW + 9_500) != null)
			.count();
		long servedAtTheTimeToLive = IntStream.range(0, 100)
			.filter((i) -> this.nearCache.get("c", "k" + i, NOW + 10_000) != null)
			.count();
		assertThat(servedAtNineTenths).isEqualTo(100);
		// A hot key's copies, read on every node after the same invalidation, are not all read again at once.
		assertThat(servedAtNineteenTwentieths).isBetween(20L, 80L);
		assertThat(servedAtTheTimeToLive).isZero();
	}

	@Test
	void aCopyIsNotServedPastItsEntrysExpiry() {
		Map<String, AttributeValue> item = Map.of(ItemLayout.VALUE, AttributeValue.fromS("v"),
				ItemLayout.EXPIRES_AT_MILLIS, AttributeValue.fromN(Long.toString(NOW + 3_000)));
		this.nearCache.offer("c", "k", this.nearCache.stamp("c", "k"), item, NOW);

		assertThat(this.nearCache.get("c", "k", NOW + 2_999)).isNotNull();
		assertThat(this.nearCache.get("c", "k", NOW + 3_000)).isNull();
	}

	@Test
	void anIdleExpiringItemIsNeverCopied() {
		Map<String, AttributeValue> item = Map.of(ItemLayout.VALUE, AttributeValue.fromS("v"), ItemLayout.IDLE_MILLIS,
				AttributeValue.fromN("60000"));
		this.nearCache.offer("c", "k", this.nearCache.stamp("c", "k"), item, NOW);

		assertThat(this.nearCache.get("c", "k", NOW)).isNull();
	}

	@Test
	void onlyInvalidationsThatDropACopyAreReported() {
		this.nearCache.invalidate("c", "k", false);
		this.nearCache.offer("c", "k", this.nearCache.stamp("c", "k"), item("v"), NOW);
		this.nearCache.invalidate("c", "k", true);
		this.nearCache.get("c", "k", NOW);

		assertThat(this.events).containsExactly("invalidated c by stream", "miss c");
	}

}
