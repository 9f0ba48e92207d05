package io.dynamodbcache.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * The default {@link ValueCodec}: JSON via Jackson 2, with the Java type of every non-trivial value recorded
 * so that records, POJOs, collections and maps come back as what was cached.
 * <p>
 * Types are restricted by an allow-list, checked by class name before any class is loaded: JDK value types
 * ({@code String}, boxed primitives, {@code BigDecimal}, {@code java.time}, {@code UUID}, {@code Date}, the
 * standard collections and maps, arrays of allowed types) are always allowed; the application's own types
 * must be allowed by package or by class. A value of any other type is refused when it is written, with a
 * message naming the type; stored bytes naming any other type fail to decode. When
 * {@code com.fasterxml.jackson.module:jackson-module-kotlin} is on the class path it is registered, so that
 * Kotlin data classes round-trip. {@link Jackson3ValueCodec} writes the same format with Jackson 3.
 *
 * <pre class="code">
 * ValueCodec codec = JacksonValueCodec.builder().allowPackages("com.example.catalog").build();
 * </pre>
 */
public final class JacksonValueCodec implements ValueCodec {

	private final ObjectMapper mapper;

	private final TypeAllowList allowList;

	private final KeyedContainers containers;

	private JacksonValueCodec(Builder builder) {
		this.allowList = new TypeAllowList(builder.packages, builder.classNames);
		this.containers = new KeyedContainers(this.allowList);
		DefaultValueCodec.requireJackson2();
		JsonMapper.Builder mapperBuilder = JsonMapper.builder();
		Jackson2Modules.addTo(mapperBuilder);
		mapperBuilder.addModule(new JdkImmutableCollections())
			.addModule(new Jackson2Locales())
			.addModule(new ObjectTypedPlaces(this.containers))
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			// Bytes after the value mean the item was damaged: a miss, not the value that happens to parse.
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
			// ZonedDateTime and OffsetDateTime come back with their own zone and offset, equal to what was cached.
			.enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
			.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
			.setDefaultTyping(new AllowListTypeResolverBuilder(this.allowList)
				.init(JsonTypeInfo.Id.CLASS, null)
				.inclusion(JsonTypeInfo.As.PROPERTY)
				.typeProperty("@class"));
		Object kotlinModule = KotlinModules.newModule(KotlinModules.JACKSON2_BUILDER);
		if (kotlinModule != null) {
			// Kotlin data classes have no default constructor: without the Kotlin module they cannot be read.
			mapperBuilder.addModule((Module) kotlinModule);
		}
		builder.customizers.forEach((customizer) -> customizer.accept(mapperBuilder));
		this.mapper = mapperBuilder.build();
	}

	/**
	 * Jackson's own modules: in a class of their own, so that JacksonValueCodec can be loaded, and say which
	 * artifacts are missing, where one of them is not on the class path.
	 */
	private static final class Jackson2Modules {

		static void addTo(JsonMapper.Builder builder) {
			builder.addModule(new JavaTimeModule()).addModule(new Jdk8Module()).addModule(new ParameterNamesModule());
		}

	}

	/**
	 * Create a codec that allows JDK value types only.
	 * @return the codec
	 */
	public static JacksonValueCodec create() {
		return builder().build();
	}

	/**
	 * Start building a codec.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public byte[] encode(Object value) {
		try {
			return this.mapper.writeValueAsBytes(this.containers.wrap(value));
		}
		catch (IOException ex) {
			throw new CacheCodecException("Could not encode a value of type " + value.getClass().getName()
					+ " as JSON: " + TypeNotAllowedException.rootMessage(ex), ex);
		}
	}

	@Override
	public Object decode(byte[] bytes) {
		Object value;
		try {
			value = this.mapper.readValue(bytes, Object.class);
		}
		catch (CacheCodecException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			// Whatever the stored bytes make fail (a ClassCastException included) is a value that cannot be read.
			throw new CacheCodecException("Could not decode a cached JSON value: " + ex.getMessage(), ex);
		}
		if (value == null) {
			throw new CacheCodecException("A cached JSON value decoded to null", null);
		}
		return value;
	}

	@Override
	public String toString() {
		return "JacksonValueCodec[" + this.allowList + "]";
	}

	/**
	 * Builder of {@link JacksonValueCodec}.
	 */
	public static final class Builder {

		private final List<String> packages = new ArrayList<>();

		private final Set<String> classNames = new LinkedHashSet<>();

		private final List<Consumer<JsonMapper.Builder>> customizers = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Allow every type in the given packages and their sub-packages.
		 * @param packageNames package names such as {@code com.example.catalog}
		 * @return this builder
		 */
		public Builder allowPackages(String... packageNames) {
			return allowPackages(List.of(packageNames));
		}

		/**
		 * Allow every type in the given packages and their sub-packages.
		 * @param packageNames package names such as {@code com.example.catalog}
		 * @return this builder
		 */
		public Builder allowPackages(Collection<String> packageNames) {
			for (String name : packageNames) {
				this.packages.add(TypeAllowList.checkedPackageName(name));
			}
			return this;
		}

		/**
		 * Allow the given types.
		 * @param types the types
		 * @return this builder
		 */
		public Builder allowTypes(Class<?>... types) {
			for (Class<?> type : types) {
				this.classNames.add(type.getName());
			}
			return this;
		}

		/**
		 * Allow the named types, for example JDK types that are not allowed by default. Checked by name, so
		 * a type that is absent from the class path does no harm.
		 * @param typeNames fully qualified class names such as {@code java.net.InetAddress}
		 * @return this builder
		 */
		public Builder allowTypeNames(Collection<String> typeNames) {
			for (String name : typeNames) {
				this.classNames.add(TypeAllowList.checkedClassName(name));
			}
			return this;
		}

		/**
		 * Customize the Jackson mapper, for example to register modules. Do not change default typing: it
		 * carries the allow-list.
		 * @param customizer the customizer
		 * @return this builder
		 */
		public Builder customizeMapper(Consumer<JsonMapper.Builder> customizer) {
			this.customizers.add(Objects.requireNonNull(customizer, "Customizer must not be null"));
			return this;
		}

		/**
		 * Build the codec.
		 * @return a new codec
		 */
		public JacksonValueCodec build() {
			return new JacksonValueCodec(this);
		}

	}

	/**
	 * Records the type of every value except primitives (Jackson leaves JSON's natural types, such as
	 * {@code String}, {@code Integer}, {@code Double} and {@code Boolean}, untyped), and checks the allow-list
	 * both when a type id is written and before a type id read from the table is resolved.
	 */
	private static final class AllowListTypeResolverBuilder extends ObjectMapper.DefaultTypeResolverBuilder {

		private static final long serialVersionUID = 1L;

		private final transient TypeAllowList allowList;

		@SuppressWarnings("deprecation") // EVERYTHING: records and other final types need type ids too
		AllowListTypeResolverBuilder(TypeAllowList allowList) {
			super(ObjectMapper.DefaultTyping.EVERYTHING, new AllowListValidator(allowList));
			this.allowList = allowList;
		}

		@Override
		protected TypeIdResolver idResolver(MapperConfig<?> config, JavaType baseType,
				PolymorphicTypeValidator subtypeValidator, Collection<NamedType> subtypes, boolean forSer,
				boolean forDeser) {
			TypeIdResolver resolver = super.idResolver(config, baseType, subtypeValidator, subtypes, forSer, forDeser);
			return new CheckingTypeIdResolver(resolver, this.allowList);
		}

	}

	private static final class AllowListValidator extends PolymorphicTypeValidator.Base {

		private static final long serialVersionUID = 1L;

		private final transient TypeAllowList allowList;

		AllowListValidator(TypeAllowList allowList) {
			this.allowList = allowList;
		}

		@Override
		public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
			return this.allowList.isAllowed(subClassName) ? Validity.ALLOWED : Validity.DENIED;
		}

		@Override
		public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
			return this.allowList.isAllowed(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
		}

	}

	private record CheckingTypeIdResolver(TypeIdResolver delegate, TypeAllowList allowList) implements TypeIdResolver {

		@Override
		public void init(JavaType baseType) {
			this.delegate.init(baseType);
		}

		@Override
		public String idFromValue(Object value) {
			String enumContainerId = KeyedContainers.enumContainerTypeId(value);
			return check((enumContainerId != null) ? enumContainerId : this.delegate.idFromValue(value));
		}

		@Override
		public String idFromValueAndType(Object value, Class<?> suggestedType) {
			String enumContainerId = KeyedContainers.enumContainerTypeId(value);
			return check((enumContainerId != null) ? enumContainerId
					: this.delegate.idFromValueAndType(value, suggestedType));
		}

		@Override
		public String idFromBaseType() {
			return check(this.delegate.idFromBaseType());
		}

		@Override
		public JavaType typeFromId(DatabindContext context, String id) throws IOException {
			// Jackson checks only the raw class of a generic id, then loads its type parameters: check them all
			// by name first.
			String denied = this.allowList.firstDeniedClassIn(id);
			if (denied != null) {
				throw new IOException("Type " + denied + " is not allowed in the cache");
			}
			return this.delegate.typeFromId(context, id);
		}

		@Override
		public String getDescForKnownTypeIds() {
			return this.delegate.getDescForKnownTypeIds();
		}

		@Override
		public JsonTypeInfo.Id getMechanism() {
			return this.delegate.getMechanism();
		}

		private String check(String id) {
			return this.allowList.checkedToWrite(id, "JacksonValueCodec");
		}

	}

}
