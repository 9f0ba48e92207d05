package io.dynamodbcache.benchmarks;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A client that answers a store's item requests at once, in memory, without the SDK's pipeline: every
 * GetItem with the same item, every PutItem and UpdateItem with an empty answer. The table checks a store
 * makes on start go to a real client. A store on it spends only its own work per call.
 */
final class AnsweringClient implements DynamoDbClient {

	private final DynamoDbClient tables;

	private final GetItemResponse hit;

	private final @Nullable List<UpdateItemRequest> updates;

	/**
	 * @param tables the client that answers the table checks
	 * @param item what every GetItem finds
	 * @param updates where to record the UpdateItem requests, or {@code null}
	 */
	AnsweringClient(DynamoDbClient tables, Map<String, AttributeValue> item,
			@Nullable List<UpdateItemRequest> updates) {
		this.tables = tables;
		this.hit = GetItemResponse.builder().item(item).build();
		this.updates = updates;
	}

	@Override
	public GetItemResponse getItem(GetItemRequest request) {
		return this.hit;
	}

	@Override
	public PutItemResponse putItem(PutItemRequest request) {
		return PutItemResponse.builder().build();
	}

	@Override
	public UpdateItemResponse updateItem(UpdateItemRequest request) {
		if (this.updates != null) {
			this.updates.add(request);
		}
		return UpdateItemResponse.builder().build();
	}

	@Override
	public DescribeTableResponse describeTable(DescribeTableRequest request) {
		return this.tables.describeTable(request);
	}

	@Override
	public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
		return this.tables.describeTimeToLive(request);
	}

	@Override
	public String serviceName() {
		return SERVICE_NAME;
	}

	@Override
	public void close() {
	}

}
