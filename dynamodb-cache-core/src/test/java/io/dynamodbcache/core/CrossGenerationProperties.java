package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot 3.5 service (Jackson 2, {@link JacksonValueCodec}) and a Spring Boot 4 service (Jackson 3,
 * {@link Jackson3ValueCodec}) sharing one table read each other's entries: every generated value written by one
 * generation is read by the other equal and of the same class, and both write the same bytes.
 */
class CrossGenerationProperties {

	private final JacksonValueCodec jackson2 = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	private final Jackson3ValueCodec jackson3 = Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	@Property(tries = 1000, seed = "20261203")
	void whatJackson2WritesJackson3Reads(@ForAll("values") Object value) {
		Object decoded = this.jackson3.decode(this.jackson2.encode(value));

		assertThat(decoded).isEqualTo(value);
		assertThat(decoded.getClass()).isEqualTo(value.getClass());
	}

	@Property(tries = 1000, seed = "20261204")
	void whatJackson3WritesJackson2Reads(@ForAll("values") Object value) {
		Object decoded = this.jackson2.decode(this.jackson3.encode(value));

		assertThat(decoded).isEqualTo(value);
		assertThat(decoded.getClass()).isEqualTo(value.getClass());
	}

	@Property(tries = 1000, seed = "20261205")
	void bothGenerationsWriteTheSameBytes(@ForAll("values") Object value) {
		String written2 = new String(this.jackson2.encode(value), StandardCharsets.UTF_8);
		String written3 = new String(this.jackson3.encode(value), StandardCharsets.UTF_8);

		assertThat(written3).isEqualTo(written2);
	}

	@Property(tries = 500, seed = "20261207")
	void everyLocaleReadsBackEqualOnBothGenerationsFromEither(@ForAll("locales") Locale locale) {
		byte[] written2 = this.jackson2.encode(locale);
		byte[] written3 = this.jackson3.encode(locale);

		assertThat(new String(written3, StandardCharsets.UTF_8)).isEqualTo(new String(written2, StandardCharsets.UTF_8));
		assertThat(this.jackson2.decode(written2)).isEqualTo(locale);
		assertThat(this.jackson3.decode(written2)).isEqualTo(locale);
		assertThat(this.jackson2.decode(written3)).isEqualTo(locale);
		assertThat(this.jackson3.decode(written3)).isEqualTo(locale);
	}

	@Provide
	Arbitrary<Locale> locales() {
		return CachedValueArbitraries.locales();
	}

	@Provide
	Arbitrary<Object> values() {
		return CachedValueArbitraries.values();
	}

}
