package io.dynamodbcache.core;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

/**
 * {@link Locale} on Jackson 2 as {@link LocaleText} writes and reads it, as the Jackson 3 codec does: Jackson 2's
 * own reader keeps only the first of several extensions.
 */
final class Jackson2Locales extends SimpleModule {

	private static final long serialVersionUID = 1L;

	Jackson2Locales() {
		super("dynamodb-cache-locales");
		addSerializer(Locale.class, new LocaleSerializer());
		addDeserializer(Locale.class, new LocaleDeserializer());
	}

	private static final class LocaleSerializer extends StdScalarSerializer<Locale> {

		private static final long serialVersionUID = 1L;

		LocaleSerializer() {
			super(Locale.class);
		}

		@Override
		public void serialize(Locale value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			try {
				generator.writeString(LocaleText.write(value));
			}
			catch (IllegalArgumentException ex) {
				throw JsonMappingException.from(generator, ex.getMessage(), ex);
			}
		}

	}

	private static final class LocaleDeserializer extends StdScalarDeserializer<Locale> {

		private static final long serialVersionUID = 1L;

		LocaleDeserializer() {
			super(Locale.class);
		}

		@Override
		public Locale deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (Locale) context.handleUnexpectedToken(Locale.class, parser);
			}
			try {
				return LocaleText.read(parser.getText());
			}
			catch (IllegalArgumentException ex) {
				return (Locale) context.handleWeirdStringValue(Locale.class, parser.getText(), ex.getMessage());
			}
		}

	}

}
