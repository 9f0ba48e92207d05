package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.module.SimpleDeserializers;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * {@link JdkImmutableCollections} for Jackson 3: reads the unmodifiable collections of {@code List.of},
 * {@code Set.of} and {@code Map.of} (and Kotlin's empty collections) back as the same classes wherever their
 * type id is written.
 */
final class Jackson3ImmutableCollections extends SimpleModule {

	private static final long serialVersionUID = 1L;

	private static final String IMMUTABLE_COLLECTIONS = "java.util.ImmutableCollections$";

	Jackson3ImmutableCollections() {
		super("dynamodb-cache-jdk-immutable-collections");
		setDeserializers(new SimpleDeserializers() {

			private static final long serialVersionUID = 1L;

			@Override
			@SuppressWarnings("rawtypes") // constructCollectionType takes a raw collection class
			public @Nullable ValueDeserializer<?> findCollectionDeserializer(CollectionType type,
					DeserializationConfig config, BeanDescription.Supplier beanDesc,
					TypeDeserializer elementTypeDeserializer, ValueDeserializer<?> elementDeserializer) {
				if (KotlinModules.isEmptyCollection(type.getRawClass())) {
					Class<? extends Collection> plain = Set.class.isAssignableFrom(type.getRawClass()) ? LinkedHashSet.class
							: ArrayList.class;
					return new CopyingDeserializer(
							config.getTypeFactory().constructCollectionType(plain, type.getContentType()),
							(value) -> KotlinModules.emptyCollection(type.getRawClass(), value), null);
				}
				if (!type.getRawClass().getName().startsWith(IMMUTABLE_COLLECTIONS)) {
					return null;
				}
				if (Set.class.isAssignableFrom(type.getRawClass())) {
					return new CopyingDeserializer(config.getTypeFactory()
						.constructCollectionType(LinkedHashSet.class, type.getContentType()),
							(value) -> Set.copyOf((Collection<?>) value), null);
				}
				return new CopyingDeserializer(
						config.getTypeFactory().constructCollectionType(ArrayList.class, type.getContentType()),
						(value) -> List.copyOf((Collection<?>) value), null);
			}

			@Override
			public @Nullable ValueDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config,
					BeanDescription.Supplier beanDesc, KeyDeserializer keyDeserializer,
					TypeDeserializer elementTypeDeserializer, ValueDeserializer<?> elementDeserializer) {
				if (KotlinModules.isEmptyCollection(type.getRawClass())) {
					return new CopyingDeserializer(config.getTypeFactory()
						.constructMapType(LinkedHashMap.class, type.getKeyType(), type.getContentType()),
							(value) -> KotlinModules.emptyCollection(type.getRawClass(), value), null);
				}
				if (!type.getRawClass().getName().startsWith(IMMUTABLE_COLLECTIONS)) {
					return null;
				}
				return new CopyingDeserializer(config.getTypeFactory()
					.constructMapType(LinkedHashMap.class, type.getKeyType(), type.getContentType()),
						(value) -> Map.copyOf((Map<?, ?>) value), null);
			}

		});
	}

	/** Reads a plain collection or map of the same elements, then copies it into the unmodifiable class. */
	private static final class CopyingDeserializer extends StdDeserializer<Object> {

		private final JavaType plainType;

		private final Function<Object, Object> copy;

		private final @Nullable ValueDeserializer<Object> plain;

		CopyingDeserializer(JavaType plainType, Function<Object, Object> copy, @Nullable ValueDeserializer<Object> plain) {
			super(plainType);
			this.plainType = plainType;
			this.copy = copy;
			this.plain = plain;
		}

		@Override
		public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
			return new CopyingDeserializer(this.plainType, this.copy,
					context.findContextualValueDeserializer(this.plainType, property));
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) {
			ValueDeserializer<Object> deserializer = (this.plain != null) ? this.plain
					: context.findRootValueDeserializer(this.plainType);
			Object value = deserializer.deserialize(parser, context);
			try {
				return this.copy.apply(value);
			}
			catch (NullPointerException | IllegalArgumentException ex) {
				// List.of holds no nulls, Set.of no duplicates and emptyList() nothing: stored data that says
				// otherwise is malformed.
				throw DatabindException.from(parser, "Malformed unmodifiable collection in a cached value", ex);
			}
		}

	}

}
