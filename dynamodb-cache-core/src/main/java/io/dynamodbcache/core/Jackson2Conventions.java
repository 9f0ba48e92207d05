package io.dynamodbcache.core;

import java.time.Month;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AccessorNamingStrategy;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.DefaultAccessorNamingStrategy;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdScalarSerializer;
import tools.jackson.databind.util.StdDateFormat;

/**
 * Jackson 3 set up to write and read what Jackson 2 does, so that {@link Jackson3ValueCodec} and
 * {@link JacksonValueCodec} share one stored format. Jackson 3 changed defaults that change what is written (the
 * order and names of properties, enums written with {@code toString}, dates, durations, months, locales) or how a value written by
 * Jackson 2 is read (constructors that are not public, final fields, a lower nesting limit), and its buffer pool
 * costs throughput: each is set back here.
 * {@code CrossGenerationProperties} checks that both generations write the same bytes.
 */
final class Jackson2Conventions {

	private static final int JACKSON2_MAX_DEPTH = 1000;

	private static final int JACKSON2_MAX_STRING_LENGTH = 20_000_000;

	private Jackson2Conventions() {
	}

	/** A mapper builder with Jackson 2's limits and conventions. */
	static JsonMapper.Builder mapperBuilder() {
		JsonFactory limits = JsonFactory.builder()
			// Jackson 2's buffer pool: Jackson 3's default, a shared deque, took 7 % of the CPU of small decodes at
			// 16 threads (JsonCodecBenchmark with -prof stack); on virtual threads, both generations just allocate.
			.recyclerPool(JsonRecyclerPools.threadLocalPool())
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(JACKSON2_MAX_DEPTH)
				.maxStringLength(JACKSON2_MAX_STRING_LENGTH)
				.build())
			.streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(JACKSON2_MAX_DEPTH).build())
			.build();
		return JsonMapper.builder(limits)
			.accessorNaming(new LegacyNamingProvider())
			// java.util.Date in UTC as 1970-01-01T00:00:00.000+00:00, not ...Z.
			.defaultDateFormat(new StdDateFormat().withZeroOffsetAsZ(false).withColonInTimeZone(true))
			.changeDefaultVisibility((checker) -> checker.withCreatorVisibility(JsonAutoDetect.Visibility.ANY))
			.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.disable(MapperFeature.FIX_FIELD_NAME_UPPER_CASE_PREFIX)
			.enable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
			.enable(MapperFeature.USE_GETTERS_AS_SETTERS)
			.disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
			.disable(EnumFeature.READ_ENUMS_USING_TO_STRING)
			.enable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.disable(DateTimeFeature.ONE_BASED_MONTHS)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
			.addModule(new SimpleModule("dynamodb-cache-jackson2-scalars")
				.addSerializer(Month.class, new MonthNameSerializer())
				// fr_CA, as Jackson 2 writes a Locale (Jackson 3 writes the language tag fr-CA), read back exactly.
				.addSerializer(Locale.class, new LocaleSerializer())
				.addDeserializer(Locale.class, new LocaleDeserializer()));
	}

	/**
	 * Jackson 2's names for getters and setters: {@code getURL} is {@code url}, and {@code getxRay} is
	 * {@code xRay} (Jackson 3 names the first {@code URL} and ignores the second).
	 */
	private static final class LegacyNamingProvider extends DefaultAccessorNamingStrategy.Provider {

		private static final long serialVersionUID = 1L;

		@Override
		public AccessorNamingStrategy forPOJO(MapperConfig<?> config, AnnotatedClass valueClass) {
			return new LegacyNaming(config, valueClass);
		}

	}

	private static final class LegacyNaming extends DefaultAccessorNamingStrategy {

		LegacyNaming(MapperConfig<?> config, AnnotatedClass valueClass) {
			super(config, valueClass, "set", "get", "is", null);
		}

		/** Lower-cases every leading capital, as Jackson 2 does unless told to follow the JavaBeans rule. */
		@Override
		protected String stdManglePropertyName(String basename, int offset) {
			int end = basename.length();
			if (end == offset) {
				return null;
			}
			StringBuilder name = new StringBuilder(end - offset);
			int i = offset;
			for (; i < end; i++) {
				char c = basename.charAt(i);
				char lower = Character.toLowerCase(c);
				if (c == lower) {
					break;
				}
				name.append(lower);
			}
			return name.append(basename, i, end).toString();
		}

	}

	/** A {@link Locale} as {@link LocaleText} writes it. */
	private static final class LocaleSerializer extends StdScalarSerializer<Locale> {

		LocaleSerializer() {
			super(Locale.class);
		}

		@Override
		public void serialize(Locale value, JsonGenerator generator, SerializationContext context) {
			try {
				generator.writeString(LocaleText.write(value));
			}
			catch (IllegalArgumentException ex) {
				throw DatabindException.from(generator, ex.getMessage(), ex);
			}
		}

	}

	/** A {@link Locale} as {@link LocaleText} reads it: Jackson 3's own reads {@code zh_TW_#Hant} as a variant. */
	private static final class LocaleDeserializer extends StdScalarDeserializer<Locale> {

		LocaleDeserializer() {
			super(Locale.class);
		}

		@Override
		public Locale deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (Locale) context.handleUnexpectedToken(Locale.class, parser);
			}
			try {
				return LocaleText.read(parser.getString());
			}
			catch (IllegalArgumentException ex) {
				return (Locale) context.handleWeirdStringValue(Locale.class, parser.getString(), ex.getMessage());
			}
		}

	}

	/** Jackson 2 writes a {@link Month} as any enum, by name; Jackson 3 by number unless it uses toString. */
	private static final class MonthNameSerializer extends StdScalarSerializer<Month> {

		MonthNameSerializer() {
			super(Month.class);
		}

		@Override
		public void serialize(Month value, JsonGenerator generator, SerializationContext context) {
			generator.writeString(value.name());
		}

	}

}
