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
		assertThat(Compression.inflate(deflated, 1 << 20)).isEqualTo(original);
	}

	@Test
	void truncatedOrCorruptInputIsACodecError() {
		byte[] deflated = Compression.deflate("hello hello hello".repeat(100).getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> Compression.inflate(Arrays.copyOf(deflated, deflated.length / 2), 1 << 20));
		deflated[deflated.length - 1] ^= 0x55;
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> Compression.inflate(deflated, 1 << 20));
	}

	@Test
	void inflationStopsAtTheMaximumSize() {
		byte[] bomb = Compression.deflate(new byte[64 * 1024 * 1024]);

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> Compression.inflate(bomb, 1 << 20))
			.withMessageContaining("inflates beyond the maximum value size of 1048576 bytes");
		assertThat(Compression.inflate(Compression.deflate(new byte[1 << 20]), 1 << 20)).hasSize(1 << 20);
	}

	@Test
	void inflatingABombAllocatesNoMoreThanTheMaximumSize() {
		byte[] bomb = Compression.deflate(new byte[64 * 1024 * 1024]);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		Compression.inflate(Compression.deflate(new byte[1024]), 1 << 20); // warm up
		long before = threads.getCurrentThreadAllocatedBytes();

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> Compression.inflate(bomb, 1 << 20));

		assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(3L << 20);
	}

}
