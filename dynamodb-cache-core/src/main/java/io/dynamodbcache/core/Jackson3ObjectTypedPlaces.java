package io.dynamodbcache.core;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * {@link ObjectTypedPlaces} for Jackson 3: applies {@link KeyedContainers} inside records and POJOs, to fields
 * typed {@code Object} or holding {@code Object}-typed elements, and restores every stored form where it is
 * read, at any depth.
 */
final class Jackson3ObjectTypedPlaces extends SimpleModule {

	private static final long serialVersionUID = 1L;

	private static final List<Class<?>> STORED_FORMS = List.of(KeyedContainers.KeyedMap.class,
			KeyedContainers.KeyedEnumSet.class, KeyedContainers.ImmutableCopy.class, KeyedContainers.OptionalCopy.class);

	Jackson3ObjectTypedPlaces(KeyedContainers containers) {
		super("dynamodb-cache-object-typed-places");
		setSerializerModifier(new ValueSerializerModifier() {

			private static final long serialVersionUID = 1L;

			@Override
			public List<BeanPropertyWriter> changeProperties(SerializationConfig config,
					BeanDescription.Supplier beanDesc, List<BeanPropertyWriter> properties) {
				for (BeanPropertyWriter property : properties) {
					if (!property.hasSerializer() && holdsObjectTypedPlaces(property.getType())) {
						property.assignSerializer(new PlaceSerializer(property, containers));
					}
				}
				return properties;
			}

		});
		setDeserializerModifier(new ValueDeserializerModifier() {

			private static final long serialVersionUID = 1L;

			@Override
			public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
					BeanDescription.Supplier beanDesc, ValueDeserializer<?> deserializer) {
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

		private final BeanPropertyWriter property;

		private final KeyedContainers containers;

		PlaceSerializer(BeanPropertyWriter property, KeyedContainers containers) {
			super(Object.class);
			this.property = property;
			this.containers = containers;
		}

		@Override
		public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
			Object stored = stored(this.property.getType(), value);
			serializerFor(stored, context).serialize(stored, generator, context);
		}

		@Override
		public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
				TypeSerializer typeSerializer) {
			Object stored = stored(this.property.getType(), value);
			serializerFor(stored, context).serializeWithType(stored, generator, context, typeSerializer);
		}

		private ValueSerializer<Object> serializerFor(Object value, SerializationContext context) {
			JavaType declared = this.property.getType();
			JavaType type = declared.getRawClass().isInstance(value) && !declared.hasRawClass(value.getClass())
					? context.constructSpecializedType(declared, value.getClass())
					: declared.hasRawClass(value.getClass()) ? declared : context.constructType(value.getClass());
			return context.findPrimaryPropertySerializer(type, this.property);
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

		private final KeyedContainers containers;

		RestoringDeserializer(ValueDeserializer<?> delegate, KeyedContainers containers) {
			super(delegate);
			this.containers = containers;
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
			return new RestoringDeserializer(newDelegatee, this.containers);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) {
			return this.containers.restore(super.deserialize(parser, context));
		}

	}

}
