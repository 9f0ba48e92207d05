package io.dynamodbcache.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Opt-in {@link ValueCodec} using Java serialization, for values that JSON cannot represent. Deserialization
 * is restricted by an {@link ObjectInputFilter} built from the same allow-list rules as
 * {@link JacksonValueCodec}: JDK value and collection types plus the packages given here, so a table written
 * by someone else cannot make the application instantiate arbitrary classes.
 */
public final class JavaSerializationValueCodec implements ValueCodec {

	private final TypeAllowList allowList;

	private final ClassLoader classLoader;

	private JavaSerializationValueCodec(List<String> packages, ClassLoader classLoader) {
		this.allowList = new TypeAllowList(packages, Set.of());
		this.classLoader = classLoader;
	}

	/**
	 * Create a codec that deserializes JDK value types and the types in the given packages.
	 * @param allowedPackages the application packages whose classes may be deserialized
	 * @return the codec
	 */
	public static JavaSerializationValueCodec create(String... allowedPackages) {
		return create(Thread.currentThread().getContextClassLoader(), allowedPackages);
	}

	/**
	 * Create a codec that resolves classes with the given class loader.
	 * @param classLoader the class loader to resolve classes with
	 * @param allowedPackages the application packages whose classes may be deserialized
	 * @return the codec
	 */
	public static JavaSerializationValueCodec create(ClassLoader classLoader, String... allowedPackages) {
		return new JavaSerializationValueCodec(List.of(allowedPackages), classLoader);
	}

	@Override
	public byte[] encode(Object value) {
		if (!(value instanceof Serializable)) {
			throw new CacheCodecException("Value of type " + value.getClass().getName()
					+ " is not Serializable: implement java.io.Serializable or use JacksonValueCodec", null);
		}
		if (!isAllowed(value.getClass())) {
			throw new CacheCodecException("Type " + value.getClass().getName() + " is not allowed in the cache: "
					+ "add its package to JavaSerializationValueCodec.create(...)", null);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new CacheCodecException("Could not serialize a value of type " + value.getClass().getName(), ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public Object decode(byte[] bytes) {
		try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes), this.classLoader)) {
			in.setObjectInputFilter(this::check);
			return Objects.requireNonNull(in.readObject(), "Serialized null");
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new CacheCodecException("Could not deserialize a cached value: " + ex.getMessage(), ex);
		}
	}

	private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
		Class<?> type = info.serialClass();
		if (type == null) {
			return ObjectInputFilter.Status.UNDECIDED;
		}
		return isAllowed(type) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
	}

	private boolean isAllowed(Class<?> type) {
		Class<?> component = type;
		while (component.isArray()) {
			component = component.getComponentType();
		}
		return component.isPrimitive() || this.allowList.isAllowed(component.getName()) || isJdkInternal(component);
	}

	private static boolean isJdkInternal(Class<?> type) {
		// Classes the JDK's own serialized forms refer to (Number is the superclass of the boxed types,
		// java.time values serialize through java.time.Ser, Collections through CollSer).
		return type == Object.class || type == Number.class || type == Enum.class || type.getName().equals("java.util.CollSer") || type == java.util.Map.Entry.class
				|| type.getName().equals("java.time.Ser");
	}

	@Override
	public String toString() {
		return "JavaSerializationValueCodec[" + this.allowList + "]";
	}

	private static final class FilteredObjectInputStream extends ObjectInputStream {

		private final ClassLoader classLoader;

		FilteredObjectInputStream(ByteArrayInputStream in, ClassLoader classLoader) throws IOException {
			super(in);
			this.classLoader = classLoader;
		}

		@Override
		protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
			if (this.classLoader == null) {
				return super.resolveClass(desc);
			}
			try {
				return Class.forName(desc.getName(), false, this.classLoader);
			}
			catch (ClassNotFoundException ex) {
				return super.resolveClass(desc);
			}
		}

	}

}
