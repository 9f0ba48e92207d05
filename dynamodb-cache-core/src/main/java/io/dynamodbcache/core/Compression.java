package io.dynamodbcache.core;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib compression of stored values (the checksum catches corrupted items). Inflation stops at a maximum
 * size, checked before each chunk is kept, so that a crafted item cannot make a read allocate more than that.
 */
final class Compression {

	private Compression() {
	}

	static byte[] deflate(byte[] input) {
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		try {
			deflater.setInput(input);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 4));
			byte[] buffer = new byte[8192];
			while (!deflater.finished()) {
				int count = deflater.deflate(buffer);
				out.write(buffer, 0, count);
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * Inflate, allocating at most about {@code maxBytes} (plus one 8 KiB buffer).
	 * @throws CacheCodecException if the input is corrupt or truncated, or inflates beyond {@code maxBytes}
	 */
	static byte[] inflate(byte[] input, int maxBytes) {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(input);
			byte[] out = new byte[Math.min(maxBytes, Math.max(256, input.length * 4))];
			int size = 0;
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new CacheCodecException("Truncated compressed value", null);
				}
				if (count > maxBytes - size) {
					throw new CacheCodecException("Compressed value inflates beyond the maximum value size of "
							+ maxBytes + " bytes", null);
				}
				if (size + count > out.length) {
					out = Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max(size + count, 2L * out.length)));
				}
				System.arraycopy(buffer, 0, out, size, count);
				size += count;
			}
			return (size == out.length) ? out : Arrays.copyOf(out, size);
		}
		catch (DataFormatException ex) {
			throw new CacheCodecException("Corrupt compressed value: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
