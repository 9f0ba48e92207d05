package io.dynamodbcache.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * JUnit 5 extension that resolves {@link DynamoDbLocal}, its clients and a {@link UniqueTableName} for test
 * classes. One DynamoDB Local server serves the whole JVM ({@link DynamoDbLocal#shared()}).
 *
 * @see DynamoDbLocalTest
 */
public final class DynamoDbLocalExtension implements ParameterResolver {

	private static final AtomicInteger TABLE_COUNTER = new AtomicInteger();

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(DynamoDbLocalExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == DynamoDbLocal.class || type == DynamoDbClient.class || type == DynamoDbAsyncClient.class
				|| type == UniqueTableName.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		DynamoDbLocal local = DynamoDbLocal.shared();
		if (type == DynamoDbLocal.class) {
			return local;
		}
		if (type == DynamoDbClient.class) {
			return local.client();
		}
		if (type == DynamoDbAsyncClient.class) {
			return local.asyncClient();
		}
		if (type == UniqueTableName.class) {
			return tableNameFor(extensionContext);
		}
		throw new ParameterResolutionException("Unsupported parameter type " + type.getName());
	}

	// getOrComputeIfAbsent: JUnit 5.12 (Spring Boot 3.5) has no computeIfAbsent; JUnit 6 still has this one.
	@SuppressWarnings("deprecation")
	private static UniqueTableName tableNameFor(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		return classContext.getStore(NAMESPACE)
			.getOrComputeIfAbsent(testClass, (key) -> newTableName(testClass), UniqueTableName.class);
	}

	private static UniqueTableName newTableName(Class<?> testClass) {
		String base = testClass.getSimpleName().replaceAll("[^A-Za-z0-9_.-]", "_");
		if (base.length() > 200) {
			base = base.substring(0, 200);
		}
		return new UniqueTableName(base + "-" + TABLE_COUNTER.incrementAndGet());
	}

}
