package io.dynamodbcache.lucee;

import java.lang.reflect.Proxy;

import io.dynamodbcache.core.CacheCodecException;
import lucee.runtime.Component;
import lucee.runtime.cache.tag.CacheItem;
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
	void queryItemsKeepTheirQueryWithItsSqlAndTheirCacheFields() {
		String item = "{\"queryItem\":{\"query\":{\"query\":{\"columns\":[\"n\",\"label\"],\"types\":[\"INTEGER\","
				+ "\"VARCHAR\"],\"rows\":[[{\"int\":1},\"one\"],[{\"int\":2},null]],\"name\":\"stock\",\"sql\":{\"text\":"
				+ "\"select n, label from stock where n > ?\",\"parameters\":[{\"value\":{\"int\":0},\"type\":4,"
				+ "\"scale\":0,\"nulls\":false}]},\"executionTime\":1200,\"template\":\"/stock.cfm\"}},"
				+ "\"tags\":[\"stock\"],\"datasource\":\"shop\",\"created\":1764756000000}}";

		Object decoded = this.codec.decode(item.getBytes());

		assertThat(decoded.getClass().getName()).isEqualTo("lucee.runtime.cache.tag.query.QueryCacheItem");
		CacheItem cacheItem = (CacheItem) decoded;
		assertThat(cacheItem.getName()).isEqualTo("stock");
		assertThat(cacheItem.getMeta()).isEqualTo("select n, label from stock where n > ?");
		assertThat(cacheItem.getExecutionTime()).isEqualTo(1200);
		assertThat(new String(this.codec.encode(decoded))).isEqualTo(item);
		// What the item holds is checked as any value is: a query item without a query is no item.
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.codec.decode("{\"queryItem\":{\"query\":\"text\",\"tags\":[]}}".getBytes()))
			.withMessageContaining("holds no query");
	}

	@Test
	void httpItemsKeepTheirResultStruct() {
		String item = "{\"httpItem\":{\"data\":{\"struct\":[[\"filecontent\",\"count 1\"],[\"statuscode\",\"200 OK\"]]},"
				+ "\"url\":\"http://127.0.0.1/count\",\"executionTime\":5}}";

		Object decoded = this.codec.decode(item.getBytes());

		assertThat(decoded.getClass().getName()).isEqualTo("lucee.runtime.cache.tag.http.HTTPCacheItem");
		assertThat(((CacheItem) decoded).getName()).isEqualTo("http://127.0.0.1/count");
		assertThat(new String(this.codec.encode(decoded))).contains("[\"filecontent\",\"count 1\"]")
			.contains("\"url\":\"http://127.0.0.1/count\",\"executionTime\":5");
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.codec.decode("{\"httpItem\":{\"data\":{\"array\":[\"x\"]}}}".getBytes()))
			.withMessageContaining("holds no result struct");
	}

	@Test
	void nonFiniteDoublesSurvive() {
		assertThat(this.codec.decode(this.codec.encode(Double.NaN))).isEqualTo(Double.NaN);
		assertThat(this.codec.decode(this.codec.encode(Double.POSITIVE_INFINITY))).isEqualTo(Double.POSITIVE_INFINITY);
	}

}
