package io.dynamodbcache.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Sees every request of every SDK client in this module's tests (registered for all clients through the
 * SDK's global interceptor file in the test resources) and fails any request of a store (marked with the
 * store's API name) whose IAM action the documented policy (infrastructure/iam) does not allow: so every test
 * of the module checks that the policy is enough. {@link IamPolicyTests} checks that it is not more.
 */
public final class IamPolicyCheck implements ExecutionInterceptor {

	static final Path POLICY = Path.of("..", "infrastructure", "iam", "dynamodb-cache-policy.json");

	/** The IAM actions of the stores' requests seen in this JVM. */
	static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

	private static volatile Map<String, Set<String>> actionsByStatement;

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		if (!isStoreRequest(context.request())) {
			return;
		}
		String action = "dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		SEEN.add(action);
		if (actionsByStatement().values().stream().noneMatch((actions) -> actions.contains(action))) {
			throw new AssertionError("The store sent " + action + ", which " + POLICY + " does not allow");
		}
	}

	private static boolean isStoreRequest(SdkRequest request) {
		return request.overrideConfiguration()
			.map((override) -> override.apiNames()
				.stream()
				.anyMatch((apiName) -> apiName.name().equals(RequestPath.API_NAME.name())))
			.orElse(false);
	}

	/** The policy's actions by statement id, in the file's order. */
	static Map<String, Set<String>> actionsByStatement() {
		Map<String, Set<String>> actions = actionsByStatement;
		if (actions == null) {
			actions = new LinkedHashMap<>();
			try {
				for (JsonNode statement : new ObjectMapper().readTree(POLICY.toFile()).get("Statement")) {
					Set<String> names = new LinkedHashSet<>();
					statement.get("Action").forEach((name) -> names.add(name.asText()));
					actions.put(statement.get("Sid").asText(), names);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			actionsByStatement = actions;
		}
		return actions;
	}

}
