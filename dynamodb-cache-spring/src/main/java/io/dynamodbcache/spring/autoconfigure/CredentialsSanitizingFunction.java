package io.dynamodbcache.spring.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks {@code dynamodb.cache.credentials.secret-access-key} and {@code dynamodb.cache.credentials.access-key-id}
 * (which identifies the account's credentials) in {@code /actuator/env} and {@code /actuator/configprops}
 * whatever {@code show-values} says, in every form their names take there (kebab case, camel case,
 * environment variable).
 */
final class CredentialsSanitizingFunction implements SanitizingFunction {

	private static final Set<String> CREDENTIALS = Set.of("dynamodbcachecredentialssecretaccesskey",
			"dynamodbcachecredentialsaccesskeyid");

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
		return CREDENTIALS.contains(letters.toString());
	}

}
