package io.dynamodbcache.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.dynamodbcache.core.RequestPath.Target;

/**
 * The store's wire layer, shared by every view of a store (one per codec): the client, the table and its
 * readiness, and one method per kind of DynamoDB request. Every request is built here, once, checks the
 * table first and goes through the {@link RequestPath}. Conditional requests throw
 * {@link ConditionalCheckFailedException} when their condition does not hold; writes with a condition
 * return the item in the way with it.
 */
final class TableClient {

	/** The partition and sort key of the item the breaker's trial requests read. */
	static final String PROBE_PARTITION = "~breaker-probe";

	private final DynamoDbClient client;

	private final AsyncAccess async;

	private final RequestPath path;

	private final TableManager table;

	private final boolean consistentReads;

	private final BreakerProbe probe;

	TableClient(DynamoDbClient client, AsyncAccess async, RequestPath path, boolean createTable,
			boolean consistentReads) {
		this.client = client;
		this.async = async;
		this.path = path;
		this.table = new TableManager(client, path, createTable);
		this.consistentReads = consistentReads;
		this.probe = new BreakerProbe(path.breaker(), this);
	}

	/**
	 * The breaker's trial request: an eventually consistent read (half a read capacity unit) of an item that
	 * no cache has, since every cache's partition keys hold a {@code #}.
	 */
	void trialRead() {
		GetItemRequest request = GetItemRequest.builder()
			.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.key(Map.of(ItemLayout.PARTITION_KEY, AttributeValue.fromS(PROBE_PARTITION), ItemLayout.SORT_KEY,
					AttributeValue.fromS(PROBE_PARTITION)))
			.build();
		this.path.trial("GetItem", "probe", Target.TABLE, () -> this.client.getItem(request));
	}

	/** Stop the breaker's probe; the client is not closed. */
	void close() {
		this.probe.close();
	}

	String tableName() {
		return this.path.tableName();
	}

	boolean consistentReads() {
		return this.consistentReads;
	}

	CircuitBreaker breaker() {
		return this.path.breaker();
	}

	AsyncAccess async() {
		return this.async;
	}

	void ensureReady() {
		this.table.ensureReady();
	}

	/** The ARN of the table's stream; see {@link TableManager#streamArn()}. */
	@Nullable String streamArn() {
		return this.table.streamArn();
	}

	AwsRequestOverrideConfiguration overrides() {
		return this.path.overrides();
	}

	/** The longest one request may take, retries included. */
	Duration apiCallTimeout() {
		return this.path.overrides().apiCallTimeout().orElseThrow();
	}

	String tableStatus() {
		return this.table.status();
	}

	/**
	 * Read an item, with the store's read consistency or a strongly consistent read.
	 * @param projection the attributes to read, or {@code null} for all
	 * @return the item, or {@code null} if there is none
	 */
	@Nullable Map<String, AttributeValue> getItem(Target target, Map<String, AttributeValue> key, boolean consistent,
			@Nullable Expression projection) {
		GetItemRequest request = GetItemRequest.builder()
			.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.key(key)
			.consistentRead(consistent || this.consistentReads)
			.projectionExpression((projection != null) ? projection.text() : null)
			.expressionAttributeNames(Expression.namesOf(projection))
			.build();
		Map<String, AttributeValue> item = call("GetItem", "read", target, () -> this.client.getItem(request)).item();
		return (item == null || item.isEmpty()) ? null : item;
	}

	/** {@link #getItem} without a projection, asynchronously. */
	CompletableFuture<@Nullable Map<String, AttributeValue>> getItemAsync(Target target,
			Map<String, AttributeValue> key) {
		GetItemRequest request = GetItemRequest.builder()
			.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.key(key)
			.consistentRead(this.consistentReads)
			.build();
		return whenReady().thenCompose((ready) -> this.path
			.callAsync("GetItem", "read", target, () -> this.async.getItem(request))
			.thenApply((response) -> (response.hasItem() && !response.item().isEmpty()) ? response.item() : null));
	}

	/**
	 * Write an item, made once the table is ready.
	 * @param condition what must hold for the write, or {@code null}
	 */
	void putItem(Target target, Supplier<Map<String, AttributeValue>> item, @Nullable Expression condition) {
		ensureReady();
		PutItemRequest request = putRequest(item.get(), condition);
		call("PutItem", "write", target, () -> this.client.putItem(request));
	}

	/**
	 * Write an item, made once the table is ready, and return the item it replaced.
	 * @param condition what must hold for the write, or {@code null}
	 * @return the replaced item, or {@code null} if there was none
	 */
	@Nullable Map<String, AttributeValue> putItemReturningOld(Target target, Map<String, AttributeValue> item,
			@Nullable Expression condition) {
		ensureReady();
		PutItemRequest request = putRequest(item, condition).toBuilder().returnValues(ReturnValue.ALL_OLD).build();
		Map<String, AttributeValue> old = call("PutItem", "write", target, () -> this.client.putItem(request))
			.attributes();
		return (old == null || old.isEmpty()) ? null : old;
	}

	/** {@link #putItem}, asynchronously. */
	CompletableFuture<Void> putItemAsync(Target target, Supplier<Map<String, AttributeValue>> item,
			@Nullable Expression condition) {
		return whenReady().thenCompose((ready) -> this.path.callAsync("PutItem", "write", target,
				() -> this.async.putItem(putRequest(item.get(), condition))))
			.thenApply((response) -> null);
	}

	private PutItemRequest putRequest(Map<String, AttributeValue> item, @Nullable Expression condition) {
		return PutItemRequest.builder()
			.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.item(item)
			.conditionExpression((condition != null) ? condition.text() : null)
			.expressionAttributeNames(Expression.namesOf(condition))
			.expressionAttributeValues(Expression.valuesOf(condition))
			.returnValuesOnConditionCheckFailure(
					(condition != null) ? ReturnValuesOnConditionCheckFailure.ALL_OLD : null)
			.build();
	}

	/**
	 * Update an item and return the attributes that {@code returnValues} asks for; when its condition fails,
	 * the item in the way comes with the exception.
	 */
	Map<String, AttributeValue> updateItem(Target target, Map<String, AttributeValue> key, Expression update,
			@Nullable Expression condition, ReturnValue returnValues) {
		return call("UpdateItem", "update", target, () -> this.client.updateItem((request) -> request
			.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.key(key)
			.updateExpression(update.text())
			.conditionExpression((condition != null) ? condition.text() : null)
			.expressionAttributeNames(Expression.namesOf(update, condition))
			.expressionAttributeValues(Expression.valuesOf(update, condition))
			.returnValuesOnConditionCheckFailure(
					(condition != null) ? ReturnValuesOnConditionCheckFailure.ALL_OLD : null)
			.returnValues(returnValues))).attributes();
	}

	/**
	 * Delete an item.
	 * @return the deleted item's attributes (with {@link ReturnValue#ALL_OLD}), or {@code null}
	 */
	@Nullable Map<String, AttributeValue> deleteItem(Target target, Map<String, AttributeValue> key,
			@Nullable Expression condition, ReturnValue returnValues) {
		Map<String, AttributeValue> old = call("DeleteItem", "delete", target,
				() -> this.client.deleteItem((request) -> request.tableName(tableName())
					.overrideConfiguration(this.path.overrides())
					.key(key)
					.conditionExpression((condition != null) ? condition.text() : null)
					.expressionAttributeNames(Expression.namesOf(condition))
					.expressionAttributeValues(Expression.valuesOf(condition))
					.returnValues(returnValues)))
			.attributes();
		return (old == null || old.isEmpty()) ? null : old;
	}

	/**
	 * Query one page of a partition.
	 * @param projection the attributes to read, or {@code null} to count only
	 * @param filter which items to return, or {@code null} for all
	 * @param startKey where the page starts, or {@code null} for the first
	 */
	QueryResponse query(Target target, String partitionKey, @Nullable Expression projection,
			@Nullable Expression filter, @Nullable Map<String, AttributeValue> startKey) {
		Expression keyCondition = Expressions.inPartition(partitionKey);
		return call("Query", "query", target, () -> this.client.query((request) -> request.tableName(tableName())
			.overrideConfiguration(this.path.bulkOverrides())
			.keyConditionExpression(keyCondition.text())
			.filterExpression((filter != null) ? filter.text() : null)
			.projectionExpression((projection != null) ? projection.text() : null)
			.select((projection != null) ? Select.SPECIFIC_ATTRIBUTES : Select.COUNT)
			.expressionAttributeNames(Expression.namesOf(keyCondition, projection, filter))
			.expressionAttributeValues(Expression.valuesOf(keyCondition, filter))
			.consistentRead(this.consistentReads)
			.exclusiveStartKey(startKey)));
	}

	/**
	 * Query one page of a partition by a condition on the sort key, reading every attribute.
	 * @param sortKeyCondition a condition on the sort key, such as {@code #sk > :after}
	 * @param forward whether the page is in ascending order of the sort key
	 */
	QueryResponse queryRange(Target target, String partitionKey, Expression sortKeyCondition, boolean forward,
			int limit, boolean consistent) {
		Expression keyCondition = Expressions.inPartitionWhere(partitionKey, sortKeyCondition);
		return call("Query", "query", target, () -> this.client.query((request) -> request.tableName(tableName())
			.overrideConfiguration(this.path.overrides())
			.keyConditionExpression(keyCondition.text())
			.expressionAttributeNames(Expression.namesOf(keyCondition))
			.expressionAttributeValues(Expression.valuesOf(keyCondition))
			.scanIndexForward(forward)
			.limit(limit)
			.consistentRead(consistent || this.consistentReads)));
	}

	/** One BatchGetItem request of up to 100 keys, with the store's read consistency or strongly consistent. */
	BatchGetItemResponse batchGetItem(Target target, List<Map<String, AttributeValue>> keys, boolean consistent) {
		return batchGetItem(target, Map.of(tableName(),
				KeysAndAttributes.builder().keys(keys).consistentRead(consistent || this.consistentReads).build()));
	}

	/** One BatchGetItem request, for keys left unprocessed by an earlier one. */
	BatchGetItemResponse batchGetItem(Target target, Map<String, KeysAndAttributes> requestItems) {
		return call("BatchGetItem", "batch read", target, () -> this.client.batchGetItem((request) -> request
			.overrideConfiguration(this.path.bulkOverrides())
			.requestItems(requestItems)));
	}

	/** One BatchWriteItem request of up to 25 writes. */
	BatchWriteItemResponse batchWriteItem(Target target, Map<String, List<WriteRequest>> requestItems) {
		return call("BatchWriteItem", "batch write", target, () -> this.client.batchWriteItem((request) -> request
			.overrideConfiguration(this.path.bulkOverrides())
			.requestItems(requestItems)));
	}

	/** An SDK or store failure as the store reports it. */
	DynamoDbCacheException translate(String what, Target target, Throwable failure) {
		return this.path.translate(what, target, failure);
	}

	private <T> T call(String operation, String what, Target target, Supplier<T> request) {
		ensureReady();
		return this.path.call(operation, what, target, request);
	}

	/** Completes once the table is ready: at once, or after the check on the executor. */
	private CompletableFuture<@Nullable Void> whenReady() {
		return this.table.isReady() ? CompletableFuture.completedFuture(null)
				: CompletableFuture.runAsync(this::ensureReady, this.async.executor());
	}

}
