package io.dynamodbcache.spring.cache;

import java.util.concurrent.CompletionException;

import io.dynamodbcache.core.CacheCodecException;
import io.dynamodbcache.core.DynamoDbCacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FailurePolicyUnitTests {

	private final DefaultCacheStatistics statistics = new DefaultCacheStatistics();

	@Test
	void lenientPolicyReturnsTheFallbackAndCountsTheFailure() {
		FailurePolicy lenient = new FailurePolicy("books", false, this.statistics);

		String result = lenient.call("read", () -> {
			throw new DynamoDbCacheException("down");
		}, "fallback");
		lenient.run("write", () -> {
			throw new DynamoDbCacheException("down");
		});

		assertThat(result).isEqualTo("fallback");
		assertThat(this.statistics.getFailures()).isEqualTo(2);
	}

	@Test
	void strictPolicyThrowsTheStoresExceptionAndCountsIt() {
		FailurePolicy strict = new FailurePolicy("books", true, this.statistics);
		DynamoDbCacheException failure = new DynamoDbCacheException("down");

		assertThatExceptionOfType(DynamoDbCacheException.class).isThrownBy(() -> strict.call("read", () -> {
			throw failure;
		}, null)).isSameAs(failure);
		assertThat(this.statistics.getFailures()).isEqualTo(1);
	}

	@Test
	void failuresFromFuturesAreUnwrapped() {
		FailurePolicy strict = new FailurePolicy("books", true, this.statistics);
		DynamoDbCacheException failure = new DynamoDbCacheException("down");

		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> strict.failed("read", new CompletionException(failure)))
			.isSameAs(failure);
		assertThatExceptionOfType(DynamoDbCacheException.class)
			.isThrownBy(() -> strict.failed("read", new CompletionException(new IllegalStateException("closed"))))
			.withMessage("closed")
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void otherExceptionsAreNotTheStoresAndPassThrough() {
		FailurePolicy lenient = new FailurePolicy("books", false, this.statistics);

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> lenient.call("read", () -> {
			throw new IllegalArgumentException("a bug, not an outage");
		}, null));
		assertThat(this.statistics.getFailures()).isZero();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aValueTheCodecRefusesIsWarnedAboutOncePerKind(CapturedOutput output) {
		FailurePolicy lenient = new FailurePolicy("books", false, this.statistics);

		for (int i = 0; i < 3; i++) {
			lenient.run("write", () -> {
				throw new CacheCodecException("Type com.acme.Gadget is not allowed in the cache: allow its package", null);
			});
		}

		assertThat(this.statistics.getFailures()).isEqualTo(3);
		assertThat(output.getOut().split("does not cache values of this kind", -1)).hasSize(2);
		assertThat(output.getOut()).contains("com.acme.Gadget is not allowed");
	}

}
