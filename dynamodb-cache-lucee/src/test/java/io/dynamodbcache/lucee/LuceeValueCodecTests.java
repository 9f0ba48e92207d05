package io.dynamodbcache.lucee;

import java.lang.reflect.Proxy;

import io.dynamodbcache.core.CacheCodecException;
import lucee.runtime.Component;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LuceeValueCodecTests {

	private final LuceeValueCodec codec = new LuceeValueCodec();

	@BeforeAll
	static void bootLucee() {
		LuceeEngine.get();
	}

	@Test
	void componentsAreRefused() {
		Object component = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Component.class },
				(proxy, method, args) -> {
					throw new UnsupportedOperationException(method.getName());
				});

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> this.codec.encode(component))
			.withMessageContaining("Components cannot be cached")
			.withMessageContaining("struct");
	}

	@Test
	void luceeStorageScopeBytesRoundTrip() {
		byte[][] scope = { { 1, 2, 3 }, null, {} };

		Object decoded = this.codec.decode(this.codec.encode(scope));

		assertThat(decoded).isInstanceOf(byte[][].class);
		byte[][] chunks = (byte[][]) decoded;
		assertThat(chunks[0]).containsExactly(1, 2, 3);
		assertThat(chunks[1]).isNull();
		assertThat(chunks[2]).isEmpty();
	}

	@Test
	void unknownTagsAndMalformedBytesAreCodecErrors() {
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.codec.decode("{\"class\":\"java.lang.Runtime\"}".getBytes()))
			.withMessageContaining("Unknown value tag");
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> this.codec.decode("{".getBytes()));
	}

	@Test
	void luceeCacheItemsAreMadeOnlyFromTheirTagsAndTheirValuesFollowTheCodecsRules() {
		// What Lucee's function caching stores, made as Lucee would make it: the tag names the class, not the bytes.
		String item = "{\"functionItem\":{\"output\":\"ran\",\"returnValue\":{\"int\":42},\"name\":\"slow\","
				+ "\"meta\":\"\",\"executionTime\":5}}";
		Object decoded = this.codec.decode(item.getBytes());
		assertThat(decoded.getClass().getName()).isEqualTo("lucee.runtime.cache.tag.udf.UDFCacheItem");
		assertThat(decoded.toString()).isEqualTo("ran");
		assertThat(new String(this.codec.encode(decoded))).isEqualTo(item);

		// A stored item naming a class is an unknown tag; a value inside an item is checked as any value is.
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.codec.decode("{\"item\":{\"class\":\"java.lang.ProcessBuilder\"}}".getBytes()))
			.withMessageContaining("Unknown value tag");
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> this.codec.decode(
				item.replace("{\"int\":42}", "{\"class\":\"java.lang.Runtime\"}").getBytes()))
			.withMessageContaining("Unknown value tag");
	}

	@Test
	void nonFiniteDoublesSurvive() {
		assertThat(this.codec.decode(this.codec.encode(Double.NaN))).isEqualTo(Double.NaN);
		assertThat(this.codec.decode(this.codec.encode(Double.POSITIVE_INFINITY))).isEqualTo(Double.POSITIVE_INFINITY);
	}

}
