package io.dynamodbcache.core;

/**
 * Turns cached values into bytes and back.
 * <p>
 * Implementations must be thread-safe and must never instantiate a class that the user has not allowed:
 * the bytes come from a shared table that anyone with write access to it can change. {@code null} values
 * never reach a codec; the store records them itself.
 *
 * @see JacksonValueCodec
 * @see JavaSerializationValueCodec
 */
public interface ValueCodec {

	/**
	 * Encode a value.
	 * @param value the value, never {@code null}
	 * @return the encoded bytes
	 * @throws CacheCodecException if the value cannot or may not be encoded
	 */
	byte[] encode(Object value);

	/**
	 * Decode bytes produced by {@link #encode(Object)}.
	 * @param bytes the encoded bytes
	 * @return the value, never {@code null}
	 * @throws CacheCodecException if the bytes cannot be decoded or name a type that is not allowed
	 */
	Object decode(byte[] bytes);

}
