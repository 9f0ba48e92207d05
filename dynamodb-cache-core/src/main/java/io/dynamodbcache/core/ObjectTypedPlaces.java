package io.dynamodbcache.core;

import java.io.IOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Applies {@link KeyedContainers} inside records and POJOs: a field typed {@code Object}, or a collection,
 * map or array field whose elements are typed {@code Object} (such as {@code Map<String, Object>}), holds
 * values whose class Jackson cannot tell from the field, so a {@code Map<Long, String>} in it would come
 * back with string keys and an {@code Optional} as its content. Such values are stored in the same forms as
 * at the top level, and every stored form is restored where it is read, at any depth. A map field typed
 * {@code Map<Object, ...>} that holds keys that are not strings is refused: JSON would bring them back as
 * strings, and the field cannot hold the stored form.
 */
final class ObjectTypedPlaces extends SimpleModule {

	private static final long serialVersionUID = 1L;

	private static final List<Class<?>> STORED_FORMS = List.of(KeyedContainers.KeyedMap.class,
			KeyedContainers.KeyedEnumSet.class, KeyedContainers.ImmutableCopy.class, KeyedContainers.OptionalCopy.class);

	ObjectTypedPlaces(KeyedContainers containers) {
		super("dynamodb-cache-object-typed-places");
		setSerializerModifier(new BeanSerializerModifier() {

			private static final long serialVersionUID = 1L;

			@Override
			public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription beanDesc,
					List<BeanPropertyWriter> properties) {
				for (BeanPropertyWriter property : properties) {
					if (!property.hasSerializer() && holdsObjectTypedPlaces(property.getType())) {
						property.assignSerializer(new PlaceSerializer(property, containers));
					}
				}
				return properties;
			}

		});
		setDeserializerModifier(new BeanDeserializerModifier() {

			private static final long serialVersionUID = 1L;

			@Override
			public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
					JsonDeserializer<?> deserializer) {
				return STORED_FORMS.contains(beanDesc.getBeanClass()) ? new RestoringDeserializer(deserializer, containers)
						: deserializer;
			}

		});
	}

	/** Whether a declared type is {@code Object} or a container with {@code Object} somewhere in it. */
	static boolean holdsObjectTypedPlaces(JavaType type) {
		if (type.hasRawClass(Object.class)) {
			return true;
		}
		if (type.isMapLikeType()) {
			return holdsObjectTypedPlaces(type.getKeyType()) || holdsObjectTypedPlaces(type.getContentType());
		}
		if (type.isCollectionLikeType() || type.isArrayType()) {
			return holdsObjectTypedPlaces(type.getContentType());
		}
		return false;
	}

	/** Writes a field's value with its {@code Object}-typed places in {@link KeyedContainers}' forms. */
	private static final class PlaceSerializer extends StdSerializer<Object> {

		private static final long serialVersionUID = 1L;

		private final BeanPropertyWriter property;

		private final transient KeyedContainers containers;

		PlaceSerializer(BeanPropertyWriter property, KeyedContainers containers) {
			super(Object.class);
			this.property = property;
			this.containers = containers;
		}

		@Override
		public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			Object stored = stored(this.property.getType(), value);
			serializerFor(stored, provider).serialize(stored, generator, provider);
		}

		@Override
		public void serializeWithType(Object value, JsonGenerator generator, SerializerProvider provider,
				TypeSerializer typeSerializer) throws IOException {
			Object stored = stored(this.property.getType(), value);
			serializerFor(stored, provider).serializeWithType(stored, generator, provider, typeSerializer);
		}

		private JsonSerializer<Object> serializerFor(Object value, SerializerProvider provider)
				throws JsonMappingException {
			JavaType declared = this.property.getType();
			JavaType type = declared.getRawClass().isInstance(value) && !declared.hasRawClass(value.getClass())
					? provider.constructSpecializedType(declared, value.getClass())
					: declared.hasRawClass(value.getClass()) ? declared : provider.constructType(value.getClass());
			return provider.findValueSerializer(type, this.property);
		}

		private Object stored(JavaType declared, Object value) {
			if (value == null || !holdsObjectTypedPlaces(declared)) {
				return value;
			}
			if (declared.hasRawClass(Object.class)) {
				return this.containers.wrap(value);
			}
			JavaType content = declared.getContentType();
			if (declared.isMapLikeType() && value instanceof Map<?, ?> map) {
				if (declared.getKeyType().hasRawClass(Object.class) && !(map instanceof EnumMap)) {
					for (Object key : map.keySet()) {
						if (key != null && !(key instanceof String)) {
							throw new CacheCodecException("A " + declared.toCanonical() + " field '"
									+ this.property.getName() + "' holding keys that are not strings ("
									+ key.getClass().getName() + ") cannot be cached: JSON would bring them back "
									+ "as strings; declare the key type, such as Map<" + key.getClass().getSimpleName()
									+ ", ...>, or type the field Object", null);
						}
					}
				}
				return KeyedContainers.copyIfChanged(map, (element) -> stored(content, element));
			}
			if (value instanceof Collection<?> || value instanceof Object[]) {
				return KeyedContainers.copyIfChanged(value, (element) -> stored(content, element));
			}
			return value;
		}

	}

	/** Reads a stored form and returns the value it stands for. */
	private static final class RestoringDeserializer extends DelegatingDeserializer {

		private static final long serialVersionUID = 1L;

		private final transient KeyedContainers containers;

		RestoringDeserializer(JsonDeserializer<?> delegate, KeyedContainers containers) {
			super(delegate);
			this.containers = containers;
		}

		@Override
		protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
			return new RestoringDeserializer(newDelegatee, this.containers);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			return this.containers.restore(super.deserialize(parser, context));
		}

	}

}
