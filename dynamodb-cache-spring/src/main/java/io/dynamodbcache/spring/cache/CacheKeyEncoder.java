package io.dynamodbcache.spring.cache;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ReflectionUtils;

/**
 * Turns cache keys into the strings the store keys entries by, so that keys that are not equal never share
 * a string (and equal keys always do): the encoding is typed and escaped, as {@code ConcurrentMapCache}
 * compares keys with {@code equals}.
 * <p>
 * A {@code String} stays as it is, the common and human-readable case (and what the Lucee side writes),
 * unless it starts with {@code ~}: then it gets one more. Every other key is {@code ~}, a type letter and a
 * body, so no string can look like it: {@code ~i:42} (an Integer), {@code ~l:42} (a Long),
 * {@code ~e:com.acme.Color.RED}, {@code ~k[1:a2:~n]} ({@code SimpleKey("a", null)}: each element's
 * encoding with its length in front). Numbers, booleans, characters, enums, UUIDs, dates and
 * {@code java.time} values, {@code SimpleKey}, arrays, records, lists, sets and maps are encoded by what
 * their {@code equals} compares. Any other key must define its own {@code equals} and {@code toString} (and
 * then its {@code toString} must tell unequal keys apart), or have a converter to {@code String} in the
 * cache's {@link ConversionService}; a key without any of these has no stable form and is refused.
 * An encoding that is not well-formed UTF-16 (a lone surrogate, which DynamoDB would store as a replacement
 * character shared with other keys) becomes {@code ~w} and the encoding with its lone surrogates escaped.
 */
final class CacheKeyEncoder {

	static final char TYPED = '~';

	private static final @Nullable Field SIMPLE_KEY_PARAMS = ReflectionUtils.findField(SimpleKey.class, "params");

	static {
		if (SIMPLE_KEY_PARAMS != null) {
			ReflectionUtils.makeAccessible(SIMPLE_KEY_PARAMS);
		}
	}

	private final ConversionService conversionService;

	CacheKeyEncoder(ConversionService conversionService) {
		this.conversionService = conversionService;
	}

	/**
	 * Encode a key.
	 * @throws UnsupportedKeyException if the key, or a part of it, has no stable form
	 */
	String encode(Object key) {
		String encoded;
		if (key instanceof String string) {
			encoded = (!string.isEmpty() && string.charAt(0) == TYPED) ? TYPED + string : string;
		}
		else {
			encoded = TYPED + typed(key, key);
		}
		String escaped = escapeLoneSurrogates(encoded);
		return (escaped == encoded) ? encoded : TYPED + "w" + escaped;
	}

	/**
	 * The string itself if it is well-formed UTF-16; else, since DynamoDB stores strings as UTF-8 and would
	 * turn every lone surrogate into the same replacement character, a copy with lone surrogates as
	 * {@code \\uXXXX} and backslashes doubled, so that unequal keys stay unequal.
	 */
	private static String escapeLoneSurrogates(String string) {
		StringBuilder escaped = null;
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			boolean pair = Character.isHighSurrogate(c) && i + 1 < string.length()
					&& Character.isLowSurrogate(string.charAt(i + 1));
			if (escaped == null && Character.isSurrogate(c) && !pair) {
				escaped = new StringBuilder(string.length() + 16).append(string.substring(0, i).replace("\\", "\\\\"));
			}
			if (escaped == null) {
				if (pair) {
					i++;
				}
				continue;
			}
			if (pair) {
				escaped.append(c).append(string.charAt(++i));
			}
			else if (Character.isSurrogate(c)) {
				escaped.append(String.format("\\u%04X", (int) c));
			}
			else {
				escaped.append((c == '\\') ? "\\\\" : String.valueOf(c));
			}
		}
		return (escaped != null) ? escaped.toString() : string;
	}

	private String typed(@Nullable Object key, Object root) {
		if (key == null) {
			return "n";
		}
		if (key instanceof String string) {
			return "'" + string;
		}
		if (key instanceof Integer) {
			return "i:" + key;
		}
		if (key instanceof Long) {
			return "l:" + key;
		}
		if (key instanceof Short) {
			return "s:" + key;
		}
		if (key instanceof Byte) {
			return "b:" + key;
		}
		if (key instanceof Double) {
			return "d:" + key;
		}
		if (key instanceof Float) {
			return "f:" + key;
		}
		if (key instanceof Boolean) {
			return "z:" + key;
		}
		if (key instanceof Character) {
			return "c:" + key;
		}
		if (key instanceof BigDecimal || key instanceof BigInteger) {
			return ((key instanceof BigDecimal) ? "D:" : "I:") + key;
		}
		if (key instanceof Enum<?> constant) {
			return "e:" + constant.getDeclaringClass().getName() + "." + constant.name();
		}
		if (key instanceof UUID) {
			return "u:" + key;
		}
		if (key.getClass() == Date.class) {
			return "T:" + ((Date) key).getTime();
		}
		if ((key instanceof TemporalAccessor || key instanceof TemporalAmount)
				&& key.getClass().getName().startsWith("java.time.")) {
			return "t:" + key.getClass().getName() + ":" + key;
		}
		if (key instanceof SimpleKey simpleKey && SIMPLE_KEY_PARAMS != null) {
			return "k" + elements(Arrays.asList((Object[]) ReflectionUtils.getField(SIMPLE_KEY_PARAMS, simpleKey)), root);
		}
		if (key.getClass().isArray()) {
			return array(key, root);
		}
		if (key.getClass().isRecord()) {
			return "r:" + key.getClass().getName() + elements(recordComponents(key), root);
		}
		if (key instanceof List<?> list) {
			return "L" + elements(list, root);
		}
		if (key instanceof Set<?> set) {
			return "S" + sortedElements(set, root);
		}
		if (key instanceof Map<?, ?> map) {
			List<Object> entries = new ArrayList<>();
			map.forEach((entryKey, value) -> entries.add(List.of(wrap(entryKey), wrap(value))));
			return "M" + sortedElements(entries, root);
		}
		return other(key, root);
	}

	private String array(Object array, Object root) {
		List<Object> elements = new ArrayList<>();
		for (int i = 0; i < Array.getLength(array); i++) {
			elements.add(Array.get(array, i));
		}
		Class<?> component = array.getClass().getComponentType();
		// Arrays.deepEquals (which SimpleKey uses) tells primitive arrays from object arrays, but not Integer[]
		// from Object[].
		return (component.isPrimitive() ? "p:" + component.getName() : "a") + elements(elements, root);
	}

	private String other(Object key, Object root) {
		Class<?> type = key.getClass();
		if (declares(type, "equals", Object.class) && declares(type, "toString")) {
			return "o:" + type.getName() + ":" + key;
		}
		TypeDescriptor source = TypeDescriptor.valueOf(type);
		TypeDescriptor target = TypeDescriptor.valueOf(String.class);
		if (this.conversionService.canConvert(source, target)) {
			Object converted = this.conversionService.convert(key, source, target);
			// A converter that falls back to Object.toString() gives class name and hash code, which unequal
			// keys share whenever their hash codes collide: that is no stable form.
			String objectToString = type.getName() + "@" + Integer.toHexString(key.hashCode());
			if (converted != null && !converted.equals(objectToString)) {
				return "x:" + type.getName() + ":" + converted;
			}
		}
		throw new UnsupportedKeyException(root, type);
	}

	private String elements(Collection<?> elements, Object root) {
		return join(parts(elements, root));
	}

	/** For sets and maps, whose equals ignores order. */
	private String sortedElements(Collection<?> elements, Object root) {
		List<String> parts = parts(elements, root);
		Collections.sort(parts);
		return join(parts);
	}

	private List<String> parts(Collection<?> elements, Object root) {
		List<String> parts = new ArrayList<>(elements.size());
		for (Object element : elements) {
			parts.add(typed(unwrap(element), root));
		}
		return parts;
	}

	/** Each part with its length in front, so that no part can run into the next. */
	private static String join(List<String> parts) {
		StringBuilder encoded = new StringBuilder("[");
		parts.forEach((part) -> encoded.append(part.length()).append(':').append(part));
		return encoded.append(']').toString();
	}

	private static List<Object> recordComponents(Object record) {
		List<Object> values = new ArrayList<>();
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			Method accessor = component.getAccessor();
			ReflectionUtils.makeAccessible(accessor);
			values.add(wrap(ReflectionUtils.invokeMethod(accessor, record)));
		}
		return values;
	}

	private static boolean declares(Class<?> type, String name, Class<?>... parameterTypes) {
		Method method = ReflectionUtils.findMethod(type, name, parameterTypes);
		return method != null && method.getDeclaringClass() != Object.class;
	}

	/** Lists hold no nulls: nulls travel wrapped. */
	private static Object wrap(@Nullable Object value) {
		return (value != null) ? value : Null.INSTANCE;
	}

	private static @Nullable Object unwrap(@Nullable Object value) {
		return (value == Null.INSTANCE) ? null : value;
	}

	private enum Null {

		INSTANCE

	}

	/**
	 * A key with no stable string form, with a message that names the fixes.
	 */
	static final class UnsupportedKeyException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		private final Class<?> keyType;

		UnsupportedKeyException(Object key, Class<?> partType) {
			super("Cache key of type " + key.getClass().getName()
					+ ((partType != key.getClass()) ? " (through its part of type " + partType.getName() + ")" : "")
					+ " has no stable form: " + partType.getName() + " defines neither equals() and toString() nor a "
					+ "Converter to String. Use a key that identifies the value, for example @Cacheable(key = \"#p0.id\") "
					+ "or a KeyGenerator bean, give " + partType.getSimpleName() + " equals() and a toString() that "
					+ "tells unequal keys apart (a record does both), or register a Converter to String with "
					+ "DynamoDbCacheConfiguration.withConversionService(...)");
			this.keyType = key.getClass();
		}

		Class<?> getKeyType() {
			return this.keyType;
		}

	}

}
