package io.dynamodbcache.core;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib compression of stored values (the checksum catches corrupted items). Inflation is bounded so that a crafted item cannot exhaust memory.
 */
final class Compression {

	static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

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

	static byte[] inflate(byte[] input) {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 4);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new CacheCodecException("Truncated compressed value", null);
				}
				out.write(buffer, 0, count);
				if (out.size() > MAX_INFLATED_BYTES) {
					throw new CacheCodecException("Compressed value inflates beyond " + MAX_INFLATED_BYTES + " bytes",
							null);
				}
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new CacheCodecException("Corrupt compressed value: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
