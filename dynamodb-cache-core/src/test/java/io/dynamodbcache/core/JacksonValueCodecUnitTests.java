package io.dynamodbcache.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JacksonValueCodecUnitTests {

	private final JacksonValueCodec jdkOnly = JacksonValueCodec.create();

	private final JacksonValueCodec withApp = JacksonValueCodec.builder().allowPackages("io.dynamodbcache.core").build();

	@Test
	void jdkValuesRoundTripWithTheirTypes() {
		for (Object value : List.of(1, 2L, 1.5, 1.5f, (short) 3, "s", true, 'c', Duration.ofMinutes(3))) {
			assertThat(this.jdkOnly.decode(this.jdkOnly.encode(value))).as("%s", value.getClass())
				.isEqualTo(value)
				.hasSameClassAs(value);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void immutableCollectionsComeBackEqualAndUnmodifiable() {
		Object decoded = this.jdkOnly.decode(this.jdkOnly.encode(Map.of("a", List.of(1L))));

		assertThat(decoded).isEqualTo(Map.of("a", List.of(1L)));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ((Map<String, Object>) decoded).put("b", 2));
	}

	@Test
	void arraysOfAllowedTypesRoundTrip() {
		Author[] authors = { new Author("a", "b") };

		assertThat((Author[]) this.withApp.decode(this.withApp.encode(authors))).containsExactly(authors);
		assertThat((int[]) this.jdkOnly.decode(this.jdkOnly.encode(new int[] { 1, 2 }))).containsExactly(1, 2);
	}

	@Test
	void typeOutsideTheAllowListIsRefusedEvenWhenNested() {
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.jdkOnly.encode(List.of(new Author("a", "b"))))
			.withMessageContaining("io.dynamodbcache.core.Author is not allowed");
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.jdkOnly.encode(new Author[] { new Author("a", "b") }))
			.withMessageContaining("allowPackages(\"io.dynamodbcache.core\")");
	}

	@Test
	void storedTypeIdsOutsideTheAllowListAreNeverResolved() {
		String gadget = "[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]";
		String arrayOfGadgets = "[\"[Ljava.lang.Thread;\",[]]";

		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.withApp.decode(gadget.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("java.lang.ProcessBuilder is not allowed");
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.withApp.decode(arrayOfGadgets.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void typeParametersOfGenericTypeIdsAreCheckedByNameBeforeAnyClassIsLoaded() {
		// If Jackson tried to load the parameter, the error would be that the class does not exist.
		String generic = "[\"java.util.ArrayList<io.dynamodbcache.forbidden.NoSuchGadget>\",[]]";
		String nested = "[\"java.util.HashMap<java.lang.String,java.util.ArrayList<com.sun.rowset.JdbcRowSetImpl>>\",{}]";

		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.withApp.decode(generic.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("io.dynamodbcache.forbidden.NoSuchGadget is not allowed");
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> this.withApp.decode(nested.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("com.sun.rowset.JdbcRowSetImpl is not allowed");
	}

	@Test
	void wholeJdkPackagesCannotBeAllowed() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> JacksonValueCodec.builder().allowPackages("java.lang"))
			.withMessageContaining("allowTypes");
	}

	@Test
	void singleTypesCanBeAllowed() {
		JacksonValueCodec codec = JacksonValueCodec.builder().allowTypes(Author.class).build();
		Author author = new Author("a", "b");

		assertThat(codec.decode(codec.encode(author))).isEqualTo(author);
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> codec.encode(new Shelf()));
	}

	@Test
	void mapperCanBeCustomized() {
		JacksonValueCodec indented = JacksonValueCodec.builder()
			.customizeMapper((mapper) -> mapper.enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT))
			.build();

		byte[] bytes = indented.encode(Map.of("a", List.of(1, 2)));

		assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\n");
		assertThat(indented.decode(bytes)).isEqualTo(Map.of("a", List.of(1, 2)));
	}

}
