package io.dynamodbcache.core;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value of a generated universe of types ({@link CachedValueArbitraries}) comes back from each JSON codec
 * equal to what was encoded and of the same class.
 */
class JacksonValueCodecRoundTripProperties {

	private final JacksonValueCodec jackson2 = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	private final Jackson3ValueCodec jackson3 = Jackson3ValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	@Property(tries = 1000, seed = "20261123")
	void everyValueComesBackEqualAndOfTheSameClass(@ForAll("values") Object value) {
		Object decoded = this.jackson2.decode(this.jackson2.encode(value));

		assertThat(decoded).isEqualTo(value);
		assertThat(decoded.getClass()).isEqualTo(value.getClass());
	}

	@Property(tries = 1000, seed = "20261123")
	void everyValueComesBackEqualAndOfTheSameClassWithJackson3(@ForAll("values") Object value) {
		Object decoded = this.jackson3.decode(this.jackson3.encode(value));

		assertThat(decoded).isEqualTo(value);
		assertThat(decoded.getClass()).isEqualTo(value.getClass());
	}

	@Provide
	Arbitrary<Object> values() {
		return CachedValueArbitraries.values();
	}

}
