package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.TypeIdResolver;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;

/**
 * A {@link ValueCodec} on Jackson 3 ({@code tools.jackson}), the JSON library of Spring Boot 4: the same stored
 * format and the same safety rules as {@link JacksonValueCodec} (Jackson 2), so that services on either
 * generation share one table and read each other's entries.
 * <p>
 * The Java type of every non-trivial value is recorded, so that records, POJOs, collections and maps come back
 * as what was cached. Types are restricted by an allow-list, checked by class name before any class is loaded:
 * JDK value types ({@code String}, boxed primitives, {@code BigDecimal}, {@code java.time}, {@code UUID},
 * {@code Date}, the standard collections and maps, arrays of allowed types) are always allowed; the
 * application's own types must be allowed by package or by class. A value of any other type is refused when it
 * is written, with a message naming the type; stored bytes naming any other type fail to decode. When
 * {@code tools.jackson.module:jackson-module-kotlin} is on the class path it is registered, so that Kotlin data
 * classes round-trip.
 *
 * <pre class="code">
 * ValueCodec codec = Jackson3ValueCodec.builder().allowPackages("com.example.catalog").build();
 * </pre>
 */
public final class Jackson3ValueCodec implements ValueCodec {

	private final JsonMapper mapper;

	private final TypeAllowList allowList;

	private final KeyedContainers containers;

	private Jackson3ValueCodec(Builder builder) {
		this.allowList = new TypeAllowList(builder.packages, builder.classNames);
		this.containers = new KeyedContainers(this.allowList);
		JsonMapper.Builder mapperBuilder = Jackson2Conventions.mapperBuilder()
			.addModule(new Jackson3ImmutableCollections())
			.addModule(new Jackson3ObjectTypedPlaces(this.containers))
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			// ZonedDateTime and OffsetDateTime come back with their own zone and offset, equal to what was cached.
			.enable(DateTimeFeature.WRITE_DATES_WITH_ZONE_ID)
			.disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
			.setDefaultTyping(new AllowListTypeResolverBuilder(this.allowList));
		registerKotlinModule(mapperBuilder);
		builder.customizers.forEach((customizer) -> customizer.accept(mapperBuilder));
		this.mapper = mapperBuilder.build();
	}

	/** Kotlin data classes have no default constructor: without the Kotlin module they cannot be read. */
	private static void registerKotlinModule(JsonMapper.Builder builder) {
		Object module = KotlinModules.newModule(KotlinModules.JACKSON3_BUILDER);
		if (module != null) {
			builder.addModule((JacksonModule) module);
		}
	}

	/**
	 * Create a codec that allows JDK value types only.
	 * @return the codec
	 */
	public static Jackson3ValueCodec create() {
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
		catch (JacksonException | TypeNotAllowedException ex) {
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
		catch (RuntimeException ex) {
			// Jackson 3's exceptions are unchecked; whatever the stored bytes make fail is a value that cannot be read.
			throw new CacheCodecException("Could not decode a cached JSON value: " + ex.getMessage(), ex);
		}
		if (value == null) {
			throw new CacheCodecException("A cached JSON value decoded to null", null);
		}
		return value;
	}

	@Override
	public String toString() {
		return "Jackson3ValueCodec[" + this.allowList + "]";
	}

	/**
	 * Builder of {@link Jackson3ValueCodec}.
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
		 * carries the allow-list; features that change the stored format make entries unreadable to
		 * {@link JacksonValueCodec}.
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
		public Jackson3ValueCodec build() {
			return new Jackson3ValueCodec(this);
		}

	}

	/**
	 * Records the type of every value except primitives (Jackson leaves JSON's natural types, such as
	 * {@code String}, {@code Integer}, {@code Double} and {@code Boolean}, untyped), as Jackson 2's
	 * {@code DefaultTyping.EVERYTHING} does (Jackson 3 dropped it), and checks the allow-list both when a type id
	 * is written and before a type id read from the table is resolved.
	 */
	private static final class AllowListTypeResolverBuilder extends DefaultTypeResolverBuilder {

		private static final long serialVersionUID = 1L;

		private final transient TypeAllowList allowList;

		AllowListTypeResolverBuilder(TypeAllowList allowList) {
			super(new AllowListValidator(allowList), DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY,
					JsonTypeInfo.Id.CLASS, "@class");
			this.allowList = allowList;
		}

		@Override
		public boolean useForType(JavaType type) {
			// Records and other final types need type ids too.
			return !type.isPrimitive();
		}

		@Override
		protected TypeIdResolver idResolver(DatabindContext context, JavaType baseType,
				PolymorphicTypeValidator subtypeValidator, Collection<NamedType> subtypes, boolean forSer,
				boolean forDeser) {
			TypeIdResolver resolver = super.idResolver(context, baseType, subtypeValidator, subtypes, forSer,
					forDeser);
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
		public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
			return this.allowList.isAllowed(subClassName) ? Validity.ALLOWED : Validity.DENIED;
		}

		@Override
		public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
			return this.allowList.isAllowed(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
		}

	}

	private record CheckingTypeIdResolver(TypeIdResolver delegate, TypeAllowList allowList) implements TypeIdResolver {

		@Override
		public void init(JavaType baseType) {
			this.delegate.init(baseType);
		}

		@Override
		public String idFromValue(DatabindContext context, Object value) {
			String enumContainerId = KeyedContainers.enumContainerTypeId(value);
			return check((enumContainerId != null) ? enumContainerId : this.delegate.idFromValue(context, value));
		}

		@Override
		public String idFromValueAndType(DatabindContext context, Object value, Class<?> suggestedType) {
			String enumContainerId = KeyedContainers.enumContainerTypeId(value);
			return check((enumContainerId != null) ? enumContainerId
					: this.delegate.idFromValueAndType(context, value, suggestedType));
		}

		@Override
		public String idFromBaseType(DatabindContext context) {
			return check(this.delegate.idFromBaseType(context));
		}

		@Override
		public JavaType typeFromId(DatabindContext context, String id) {
			// Jackson checks only the raw class of a generic id, then loads its type parameters: check them all
			// by name first.
			String denied = this.allowList.firstDeniedClassIn(id);
			if (denied != null) {
				throw DatabindException.from((tools.jackson.core.JsonParser) null,
						"Type " + denied + " is not allowed in the cache");
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
			return this.allowList.checkedToWrite(id, "Jackson3ValueCodec");
		}

	}

}
