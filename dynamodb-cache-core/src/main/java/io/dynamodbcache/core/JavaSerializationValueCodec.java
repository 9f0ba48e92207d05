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
 * <p>
 * The filter also bounds what one stored value can cost to read: no array (nor collection capacity, which the
 * JDK's collections check as arrays) longer than the stored bytes, and no more object references than stored
 * bytes, since each element and each reference takes at least one byte of a real stream, so these refuse no
 * value this codec wrote; and a nesting depth of at most {@value #DEFAULT_MAX_DEPTH} by default, which keeps
 * the cost of nested hashed collections (each level doubles it) within milliseconds. Each limit can be
 * tightened ({@link #withMaxDepth}, {@link #withMaxArrayLength}, {@link #withMaxReferences},
 * {@link #withMaxBytes}). A JVM-wide filter ({@code jdk.serialFilter}) applies as well: a class or limit that
 * either filter rejects is rejected.
 */
public final class JavaSerializationValueCodec implements ValueCodec {

	/** The default deepest nesting of objects in a stored value. */
	public static final int DEFAULT_MAX_DEPTH = 20;

	private final TypeAllowList allowList;

	private final ClassLoader classLoader;

	private final int maxDepth;

	private final long maxArrayLength;

	private final long maxReferences;

	private final long maxBytes;

	private JavaSerializationValueCodec(TypeAllowList allowList, ClassLoader classLoader, int maxDepth,
			long maxArrayLength, long maxReferences, long maxBytes) {
		this.allowList = allowList;
		this.classLoader = classLoader;
		this.maxDepth = maxDepth;
		this.maxArrayLength = maxArrayLength;
		this.maxReferences = maxReferences;
		this.maxBytes = maxBytes;
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
		return new JavaSerializationValueCodec(new TypeAllowList(List.of(allowedPackages), Set.of()), classLoader,
				DEFAULT_MAX_DEPTH, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
	}

	/**
	 * A codec like this one that reads values nested at most this deep.
	 * @param maxDepth the deepest nesting, at least 1 (default {@value #DEFAULT_MAX_DEPTH})
	 * @return the codec
	 */
	public JavaSerializationValueCodec withMaxDepth(int maxDepth) {
		return new JavaSerializationValueCodec(this.allowList, this.classLoader, positive("maxDepth", maxDepth),
				this.maxArrayLength, this.maxReferences, this.maxBytes);
	}

	/**
	 * A codec like this one that reads no array or collection longer than this (always at most the stored bytes).
	 * @param maxArrayLength the longest array, at least 1
	 * @return the codec
	 */
	public JavaSerializationValueCodec withMaxArrayLength(long maxArrayLength) {
		return new JavaSerializationValueCodec(this.allowList, this.classLoader, this.maxDepth,
				positive("maxArrayLength", maxArrayLength), this.maxReferences, this.maxBytes);
	}

	/**
	 * A codec like this one that reads values of at most this many object references (always at most the stored
	 * bytes).
	 * @param maxReferences the most references, at least 1
	 * @return the codec
	 */
	public JavaSerializationValueCodec withMaxReferences(long maxReferences) {
		return new JavaSerializationValueCodec(this.allowList, this.classLoader, this.maxDepth, this.maxArrayLength,
				positive("maxReferences", maxReferences), this.maxBytes);
	}

	/**
	 * A codec like this one that reads stored values of at most this many bytes.
	 * @param maxBytes the largest stored value, at least 1
	 * @return the codec
	 */
	public JavaSerializationValueCodec withMaxBytes(long maxBytes) {
		return new JavaSerializationValueCodec(this.allowList, this.classLoader, this.maxDepth, this.maxArrayLength,
				this.maxReferences, positive("maxBytes", maxBytes));
	}

	private static <N extends Number> N positive(String name, N value) {
		if (value.longValue() < 1) {
			throw new IllegalArgumentException("JavaSerializationValueCodec " + name + " must be at least 1, was "
					+ value);
		}
		return value;
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
		if (bytes.length > this.maxBytes) {
			throw new CacheCodecException("Could not deserialize a cached value: " + bytes.length
					+ " bytes, more than the codec's maxBytes " + this.maxBytes, null);
		}
		long storedBytes = bytes.length;
		ObjectInputFilter own = (info) -> check(info, storedBytes);
		ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
		try (ObjectInputStream in = new FilteredObjectInputStream(new ByteArrayInputStream(bytes), this.classLoader)) {
			// merge: rejected if either filter rejects, so a jdk.serialFilter's limits hold here too.
			in.setObjectInputFilter((jvmWide != null) ? ObjectInputFilter.merge(own, jvmWide) : own);
			return Objects.requireNonNull(in.readObject(), "Serialized null");
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new CacheCodecException("Could not deserialize a cached value: " + ex.getMessage(), ex);
		}
	}

	private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info, long storedBytes) {
		if (info.depth() > this.maxDepth || info.references() > Math.min(this.maxReferences, storedBytes)
				|| info.streamBytes() > storedBytes
				|| info.arrayLength() > Math.min(this.maxArrayLength, storedBytes)) {
			return ObjectInputFilter.Status.REJECTED;
		}
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
		return "JavaSerializationValueCodec[" + this.allowList + ", maxDepth=" + this.maxDepth + "]";
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
