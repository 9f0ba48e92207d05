package io.dynamodbcache.core;

/**
 * A type outside the allow-list, met while a JSON codec writes a value: its message names a setting that
 * allows the type, in the codec's builder and in Spring Boot's properties.
 */
final class TypeNotAllowedException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	TypeNotAllowedException(String typeId, String codecName) {
		super("Type " + typeId + " is not allowed in the cache: " + fixFor(rawClassName(typeId), codecName));
	}

	/** The message of a refusal in {@code ex} or its causes, else {@code ex}'s own message. */
	static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause instanceof TypeNotAllowedException) ? cause.getMessage() : ex.getMessage();
	}

	/** A setting that allows the type: its package for application types, the type itself for JDK ones. */
	private static String fixFor(String className, String codecName) {
		int dot = className.lastIndexOf('.');
		String packageName = (dot > 0) ? className.substring(0, dot) : className;
		if (className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
				|| className.startsWith("sun.") || dot < 0) {
			return "if it is safe to cache, allow the type itself with " + codecName + ".builder().allowTypeNames("
					+ "List.of(\"" + className + "\")) (Spring Boot: dynamodb.cache.allowed-types=" + className + ")";
		}
		return "allow its package with " + codecName + ".builder().allowPackages(\"" + packageName
				+ "\") (Spring Boot: dynamodb.cache.allowed-packages=" + packageName + ")";
	}

	/** The class of a type id, without array markers or generic parameters. */
	private static String rawClassName(String typeId) {
		String name = typeId;
		while (name.startsWith("[")) {
			name = name.substring(1);
		}
		if (name.startsWith("L") && name.endsWith(";")) {
			name = name.substring(1, name.length() - 1);
		}
		int generic = name.indexOf('<');
		return (generic > 0) ? name.substring(0, generic) : name;
	}

}
