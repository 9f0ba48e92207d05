package io.dynamodbcache.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import org.jspecify.annotations.Nullable;

/**
 * Reads the unmodifiable collections of {@code List.of}, {@code Set.of} and {@code Map.of} (and Kotlin's
 * {@code emptyList()}, {@code emptySet()} and {@code emptyMap()}) back as the same classes wherever their type id
 * is written, such as a {@code List<String>} field of a record that holds a
 * {@code List.of(...)}: Jackson alone makes an {@code ArrayList} or an unmodifiable wrapper of them. (Values in
 * {@code Object}-typed places are already kept by {@link KeyedContainers}.)
 */
final class JdkImmutableCollections extends SimpleModule {

	private static final long serialVersionUID = 1L;

	private static final String IMMUTABLE_COLLECTIONS = "java.util.ImmutableCollections$";

	JdkImmutableCollections() {
		super("dynamodb-cache-jdk-immutable-collections");
		setDeserializers(new SimpleDeserializers() {

			private static final long serialVersionUID = 1L;

			@Override
			@SuppressWarnings("rawtypes") // constructCollectionType takes a raw collection class
			public @Nullable JsonDeserializer<?> findCollectionDeserializer(CollectionType type,
					DeserializationConfig config, BeanDescription beanDesc, TypeDeserializer elementTypeDeserializer,
					JsonDeserializer<?> elementDeserializer) {
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
			public @Nullable JsonDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config,
					BeanDescription beanDesc, KeyDeserializer keyDeserializer, TypeDeserializer elementTypeDeserializer,
					JsonDeserializer<?> elementDeserializer) {
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
	private static final class CopyingDeserializer extends StdDeserializer<Object> implements ContextualDeserializer {

		private static final long serialVersionUID = 1L;

		private final JavaType plainType;

		private final transient Function<Object, Object> copy;

		private final transient @Nullable JsonDeserializer<Object> plain;

		CopyingDeserializer(JavaType plainType, Function<Object, Object> copy, @Nullable JsonDeserializer<Object> plain) {
			super(plainType);
			this.plainType = plainType;
			this.copy = copy;
			this.plain = plain;
		}

		@Override
		public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
				throws JsonMappingException {
			return new CopyingDeserializer(this.plainType, this.copy,
					context.findContextualValueDeserializer(this.plainType, property));
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			JsonDeserializer<Object> deserializer = (this.plain != null) ? this.plain
					: context.findRootValueDeserializer(this.plainType);
			Object value = deserializer.deserialize(parser, context);
			try {
				return this.copy.apply(value);
			}
			catch (NullPointerException | IllegalArgumentException ex) {
				// List.of holds no nulls, Set.of no duplicates and emptyList() nothing: stored data that says
				// otherwise is malformed.
				throw JsonMappingException.from(parser, "Malformed unmodifiable collection in a cached value", ex);
			}
		}

	}

}
