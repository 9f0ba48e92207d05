package io.dynamodbcache.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExpiryRulesUnitTests {

	@Test
	void durationsBecomeMillisAndNoneIsZero() {
		assertThat(ExpiryRules.millis(null, "Time to live")).isZero();
		assertThat(ExpiryRules.millis(Duration.ZERO, "Time to live")).isZero();
		assertThat(ExpiryRules.millis(Duration.ofSeconds(2), "Time to live")).isEqualTo(2000);
	}

	@Test
	void negativeAndSubMillisecondDurationsAreRefusedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> ExpiryRules.millis(Duration.ofSeconds(-1), "Time to idle"))
			.withMessageContaining("Time to idle must not be negative")
			.withMessageContaining("Duration.ZERO for no expiry");
		assertThatIllegalArgumentException().isThrownBy(() -> ExpiryRules.millis(Duration.ofNanos(10), "Time to live"))
			.withMessageContaining("at least 1 ms");
	}

	@Test
	void initialExpiryIsTheEarlierOfTimeToLiveAndTimeToIdle() {
		assertThat(ExpiryRules.initialExpiry(1000, 0, 0)).isNull();
		assertThat(ExpiryRules.initialExpiry(1000, 500, 0)).isEqualTo(1500);
		assertThat(ExpiryRules.initialExpiry(1000, 0, 300)).isEqualTo(1300);
		assertThat(ExpiryRules.initialExpiry(1000, 500, 300)).isEqualTo(1300);
		assertThat(ExpiryRules.initialExpiry(1000, 200, 300)).isEqualTo(1200);
	}

	@Test
	void anEntryIsExpiredFromItsExpiryOn() {
		assertThat(ExpiryRules.isExpired(null, Long.MAX_VALUE)).isFalse();
		assertThat(ExpiryRules.isExpired(1000L, 999)).isFalse();
		assertThat(ExpiryRules.isExpired(1000L, 1000)).isTrue();
	}

	@Test
	void aReadSlidesTheIdleExpiryButNeverPastTheDeadline() {
		assertThat(ExpiryRules.slidExpiry(5000, 1000, null, 4500L)).isEqualTo(6000);
		assertThat(ExpiryRules.slidExpiry(5000, 1000, 5600L, 4500L)).isEqualTo(5600);
	}

	@Test
	void aReadThatGainsUnderATwentiethOfTheIdleTimeWritesNothing() {
		// idle 1000 ms: a slide of 49 ms is not worth a write, one of 50 ms is.
		assertThat(ExpiryRules.slidExpiry(5000, 1000, null, 5951L)).isNull();
		assertThat(ExpiryRules.slidExpiry(5000, 1000, null, 5950L)).isEqualTo(6000);
		// at the deadline there is nothing left to gain
		assertThat(ExpiryRules.slidExpiry(5000, 1000, 5600L, 5600L)).isNull();
	}

	@Test
	void theTtlAttributeIsInSecondsRoundedUp() {
		assertThat(ExpiryRules.epochSecondsCeiling(1000)).isEqualTo(1);
		assertThat(ExpiryRules.epochSecondsCeiling(1001)).isEqualTo(2);
		assertThat(ExpiryRules.epochSecondsCeiling(0)).isZero();
	}

}
