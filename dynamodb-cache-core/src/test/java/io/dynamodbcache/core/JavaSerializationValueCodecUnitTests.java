package io.dynamodbcache.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JavaSerializationValueCodecUnitTests {

	@Test
	void allowedSerializableValuesRoundTrip() {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create("io.dynamodbcache.core");
		Map<String, Object> value = new HashMap<>(Map.of("point", new Point(1, 2), "date", LocalDate.of(2026, 1, 2),
				"list", new ArrayList<>(List.of(1, 2L)), "immutable", List.of("a")));

		assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
	}

	@Test
	void classesOutsideTheAllowListAreRejectedOnRead() throws IOException {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new ArrayList<>(List.of(new Point(1, 2))));
		}

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> codec.decode(bytes.toByteArray()))
			.withMessageContaining("REJECTED");
	}

	@Test
	void nonSerializableOrDisallowedValuesAreRefusedOnWrite() {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create();

		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> codec.encode(new Object()))
			.withMessageContaining("not Serializable");
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> codec.encode(new Point(1, 2)))
			.withMessageContaining("not allowed");
	}

	record Point(int x, int y) implements Serializable {
	}

}
