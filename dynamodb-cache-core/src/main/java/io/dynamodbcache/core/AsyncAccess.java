package io.dynamodbcache.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * How the store's asynchronous operations reach DynamoDB: through an asynchronous client, or through the
 * synchronous client on an executor when the application gave none.
 */
interface AsyncAccess {

	CompletableFuture<GetItemResponse> getItem(GetItemRequest request);

	CompletableFuture<PutItemResponse> putItem(PutItemRequest request);

	/** The executor that runs the work around the requests (the table check, decoding). */
	Executor executor();

	static AsyncAccess of(@Nullable DynamoDbAsyncClient asyncClient, DynamoDbClient client, Executor executor) {
		return (asyncClient != null) ? new AsyncClientAccess(asyncClient, executor)
				: new SyncClientAccess(client, executor);
	}

	/** Requests through an asynchronous client. */
	record AsyncClientAccess(DynamoDbAsyncClient client, Executor executor) implements AsyncAccess {

		@Override
		public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
			return this.client.getItem(request);
		}

		@Override
		public CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
			return this.client.putItem(request);
		}

	}

	/** Requests through the synchronous client, each on the executor. */
	record SyncClientAccess(DynamoDbClient client, Executor executor) implements AsyncAccess {

		@Override
		public CompletableFuture<GetItemResponse> getItem(GetItemRequest request) {
			return CompletableFuture.supplyAsync(() -> this.client.getItem(request), this.executor);
		}

		@Override
		public CompletableFuture<PutItemResponse> putItem(PutItemRequest request) {
			return CompletableFuture.supplyAsync(() -> this.client.putItem(request), this.executor);
		}

	}

}
