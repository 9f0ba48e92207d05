package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CompressionUnitTests {

	@Test
	void deflatedBytesInflateToTheOriginal() {
		byte[] original = "abc".repeat(10_000).getBytes(StandardCharsets.UTF_8);

		byte[] deflated = Compression.deflate(original);

		assertThat(deflated.length).isLessThan(original.length / 20);
		assertThat(Compression.inflate(deflated)).isEqualTo(original);
	}

	@Test
	void truncatedOrCorruptInputIsACodecError() {
		byte[] deflated = Compression.deflate("hello hello hello".repeat(100).getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> Compression.inflate(Arrays.copyOf(deflated, deflated.length / 2)));
		deflated[deflated.length - 1] ^= 0x55;
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> Compression.inflate(deflated));
	}

	@Test
	void inflationIsBounded() {
		byte[] bomb = Compression.deflate(new byte[Compression.MAX_INFLATED_BYTES + 1]);

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> Compression.inflate(bomb))
			.withMessageContaining("inflates beyond");
	}

}
