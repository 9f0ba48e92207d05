package io.dynamodbcache.spring.autoconfigure;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks {@code dynamodb.cache.credentials.secret-access-key} in {@code /actuator/env} and
 * {@code /actuator/configprops} whatever {@code show-values} says, in every form its name takes there
 * (kebab case, camel case, environment variable).
 */
final class CredentialsSanitizingFunction implements SanitizingFunction {

	private static final String SECRET = "dynamodbcachecredentialssecretaccesskey";

	@Override
	public SanitizableData apply(SanitizableData data) {
		return isSecret(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
	}

	static boolean isSecret(String key) {
		StringBuilder letters = new StringBuilder(key.length());
		for (char c : key.toLowerCase(Locale.ROOT).toCharArray()) {
			if (Character.isLetterOrDigit(c)) {
				letters.append(c);
			}
		}
		return letters.toString().equals(SECRET);
	}

}
