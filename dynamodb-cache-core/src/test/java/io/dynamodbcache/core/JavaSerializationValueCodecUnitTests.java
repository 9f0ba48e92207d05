package io.dynamodbcache.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

	@Test
	void a27ByteItemClaimingAHugeArrayIsRefusedBeforeAnythingIsAllocated() throws IOException {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create();
		byte[] bomb = serialize(new long[0]);
		// The array's length is the stream's last four bytes: 2^31 - 16 longs would be 16 GB.
		bomb[bomb.length - 4] = 0x7f;
		bomb[bomb.length - 3] = (byte) 0xff;
		bomb[bomb.length - 2] = (byte) 0xff;
		bomb[bomb.length - 1] = (byte) 0xf0;

		assertThat(bomb).hasSize(27);
		assertThatExceptionOfType(CacheCodecException.class).isThrownBy(() -> codec.decode(bomb))
			.withMessageContaining("REJECTED");
	}

	@Test
	void nestedSetsWhoseReadTimeDoublesWithEachLevelAreRefusedAtTheDepthLimit() throws IOException {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create();
		byte[] nested = serialize(nestedSets(60));

		assertThat(nested.length).isLessThan(4_000);
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> codec.decode(nested))
			.withMessageContaining("REJECTED"));
	}

	@Test
	void everyLimitLetsThroughWhatTheCodecWroteAndCanBeTightened() {
		JavaSerializationValueCodec codec = JavaSerializationValueCodec.create("io.dynamodbcache.core");
		List<Object> large = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			large.add(new Point(i, i));
		}
		Map<String, Object> value = new HashMap<>(Map.of("bytes", new ArrayList<>(List.of(new byte[100_000])),
				"points", large));
		List<Object> nested = nestedLists(15);

		Map<?, ?> decoded = (Map<?, ?>) codec.decode(codec.encode(value));
		assertThat(decoded.get("points")).isEqualTo(large);
		assertThat(((List<?>) decoded.get("bytes")).get(0)).isEqualTo(new byte[100_000]);
		assertThat(codec.decode(codec.encode(nested))).isEqualTo(nested);
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> codec.withMaxArrayLength(10).decode(codec.encode(large)));
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> codec.withMaxReferences(100).decode(codec.encode(large)));
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> codec.withMaxDepth(5).decode(codec.encode(nested)));
		assertThatExceptionOfType(CacheCodecException.class)
			.isThrownBy(() -> codec.withMaxBytes(1_000).decode(codec.encode(large)))
			.withMessageContaining("maxBytes 1000");
		assertThatIllegalArgumentException().isThrownBy(() -> codec.withMaxDepth(0))
			.withMessage("JavaSerializationValueCodec maxDepth must be at least 1, was 0");
	}

	@Test
	void aJvmWideSerialFilterStillAppliesToTheCodecsReads() throws Exception {
		assertThat(decodeInChildJvm(null)).isEqualTo("decoded [1, 2]");
		assertThat(decodeInChildJvm("!java.util.ArrayList")).startsWith("refused");
		assertThat(decodeInChildJvm("maxarray=1")).startsWith("refused");
	}

	private static String decodeInChildJvm(String serialFilter) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		if (serialFilter != null) {
			command.add("-Djdk.serialFilter=" + serialFilter);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildJvm.class.getName()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes()).trim();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return output.lines().reduce((first, second) -> second).orElse("");
	}

	/** Decodes a list in a JVM of its own, whose jdk.serialFilter the test sets. */
	static final class ChildJvm {

		public static void main(String[] args) {
			JavaSerializationValueCodec codec = JavaSerializationValueCodec.create();
			try {
				System.out.println("decoded " + codec.decode(codec.encode(new ArrayList<>(List.of(1, 2)))));
			}
			catch (CacheCodecException ex) {
				System.out.println("refused: " + ex.getMessage());
			}
		}

	}

	private static List<Object> nestedLists(int depth) {
		List<Object> nested = new ArrayList<>(List.of("innermost"));
		for (int i = 0; i < depth; i++) {
			nested = new ArrayList<>(List.of(i, nested));
		}
		return nested;
	}

	/** The well-known nested-set value whose hashing on read doubles with each level. */
	private static Set<Object> nestedSets(int depth) {
		Set<Object> root = new HashSet<>();
		Set<Object> left = root;
		Set<Object> right = new HashSet<>();
		for (int i = 0; i < depth; i++) {
			Set<Object> nextLeft = new HashSet<>();
			Set<Object> nextRight = new HashSet<>();
			nextLeft.add("level" + i);
			left.add(nextLeft);
			left.add(nextRight);
			right.add(nextLeft);
			right.add(nextRight);
			left = nextLeft;
			right = nextRight;
		}
		return root;
	}

	private static byte[] serialize(Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		return bytes.toByteArray();
	}

	record Point(int x, int y) implements Serializable {
	}

}
