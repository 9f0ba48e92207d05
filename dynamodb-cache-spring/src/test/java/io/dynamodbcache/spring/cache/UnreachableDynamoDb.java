package io.dynamodbcache.spring.cache;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client whose every request fails at once as a refused connection does, counting the requests:
 * an outage without a server to stop.
 */
final class UnreachableDynamoDb {

	private final AtomicInteger requests = new AtomicInteger();

	private final DynamoDbClient client = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { DynamoDbClient.class }, (proxy, method, args) -> switch (method.getName()) {
				case "serviceName" -> DynamoDbClient.SERVICE_NAME;
				// The store asks for the client's timeout scheduler when it is built: not a request.
				case "serviceClientConfiguration" -> throw new UnsupportedOperationException();
				case "close" -> null;
				case "toString" -> "UnreachableDynamoDb";
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == args[0];
				default -> {
					this.requests.incrementAndGet();
					throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
				}
			});

	DynamoDbClient client() {
		return this.client;
	}

	int requests() {
		return this.requests.get();
	}

}
