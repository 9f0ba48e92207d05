package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a cache key appears in log lines and exception messages. Keys are often session ids, tokens or e-mail
 * addresses, so by default a key is shown as a fingerprint, {@code #} and the first 10 hex digits of its
 * SHA-256: the same key always has the same fingerprint, so the lines of one key can be told apart and
 * matched, and a key suspected of trouble can be checked against it, but the line does not reveal the key.
 * With {@code verbatim}, for debugging, the key is shown quoted (its first 100 characters).
 *
 * @param verbatim whether keys are shown as they are
 */
record KeyLogging(boolean verbatim) {

	static final KeyLogging FINGERPRINTS = new KeyLogging(false);

	/** The key as a log line or message shows it: {@code #3f9a2c1b0d}, or {@code 'the-key'} when verbatim. */
	String describe(String key) {
		return this.verbatim ? "'" + CacheValueTooLargeException.abbreviate(key) + "'" : fingerprint(key);
	}

	static String fingerprint(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return "#" + HexFormat.of().formatHex(digest, 0, 5);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
