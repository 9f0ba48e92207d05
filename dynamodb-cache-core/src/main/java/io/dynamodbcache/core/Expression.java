package io.dynamodbcache.core;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB expression (condition, update, filter or projection) with the attribute names and values it
 * refers to. Made by {@link Expressions}; several that go into one request share their names and values.
 *
 * @param text the expression
 * @param names the {@code #name} placeholders
 * @param values the {@code :value} placeholders
 */
record Expression(String text, Map<String, String> names, Map<String, AttributeValue> values) {

	Expression {
		names = Map.copyOf(names);
		values = Map.copyOf(values);
	}

	/** Both this and the other expression must hold. */
	Expression and(Expression other) {
		return new Expression("(" + this.text + ") AND (" + other.text + ")", merged(this.names, other.names),
				merged(this.values, other.values));
	}

	/** The names of all given expressions, for one request. */
	static @Nullable Map<String, String> namesOf(@Nullable Expression... expressions) {
		Map<String, String> names = new HashMap<>();
		for (Expression expression : expressions) {
			if (expression != null) {
				names.putAll(expression.names);
			}
		}
		return names.isEmpty() ? null : names;
	}

	/** The values of all given expressions, for one request; {@code null} when none (DynamoDB refuses {}). */
	static @Nullable Map<String, AttributeValue> valuesOf(@Nullable Expression... expressions) {
		Map<String, AttributeValue> values = new HashMap<>();
		for (Expression expression : expressions) {
			if (expression != null) {
				values.putAll(expression.values);
			}
		}
		return values.isEmpty() ? null : values;
	}

	private static <V> Map<String, V> merged(Map<String, V> first, Map<String, V> second) {
		Map<String, V> merged = new HashMap<>(first);
		merged.putAll(second);
		return merged;
	}

}
