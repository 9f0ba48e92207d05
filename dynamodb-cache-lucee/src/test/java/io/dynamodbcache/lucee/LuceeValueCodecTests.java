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
	void nonFiniteDoublesSurvive() {
		assertThat(this.codec.decode(this.codec.encode(Double.NaN))).isEqualTo(Double.NaN);
		assertThat(this.codec.decode(this.codec.encode(Double.POSITIVE_INFINITY))).isEqualTo(Double.POSITIVE_INFINITY);
	}

}
