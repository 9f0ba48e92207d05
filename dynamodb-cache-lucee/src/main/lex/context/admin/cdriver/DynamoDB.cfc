/**
 * The Lucee Administrator's form for a DynamoDB cache connection: one field per setting of
 * io.dynamodbcache.lucee.DynamoDbLuceeCache. An empty field means the setting's default.
 */
component extends="Cache" {

	fields = [
		group("Table", "Where the entries live. Many connections (and Spring applications) can share one table; each connection keeps its entries apart by its cache name."),
		field("Table", "table", "dynamodb-cache", true,
			"Name of the DynamoDB table (3 to 255 characters of A-Z a-z 0-9 _ . -).", "text"),
		field("Create table", "createTable", "true", false,
			"Create the table (on-demand capacity, TTL on attribute expiresAt) if it does not exist. Turn off when the table is managed elsewhere (CloudFormation, Terraform) or the credentials may not create tables.",
			"checkbox", "true"),
		field("Shards", "shards", "16", false,
			"Number of partitions each cache is spread over (1 to 1024). Every server that shares the table must use the same value; changing it orphans existing entries until they expire.",
			"text"),
		field("Cache name", "cacheName", "", false,
			"Name of this cache inside the table. Empty: the connection's name. Connections on several servers that should share entries need the same cache name.",
			"text"),

		group("Credentials", "Leave both empty to use the AWS default credentials chain: environment variables, profile, EC2 or ECS role. For DynamoDB Local on localhost, empty keys become the dummy keys it accepts."),
		field("Access key id", "accessKeyId", "", false, "AWS access key id.", "text"),
		field("Secret access key", "secretkey", "", false, "AWS secret access key. Never written to the logs.", "password"),

		group("Endpoint", "Where DynamoDB is."),
		field("Region", "region", "", false,
			"AWS region of the table, for example eu-west-1. Empty: AWS_REGION or the profile's region.", "text"),
		field("Host", "host", "", false,
			"Custom endpoint, for example localhost:8000 for DynamoDB Local or a VPC endpoint. Empty: the region's standard endpoint.",
			"text"),

		group("Time limits and failures", "A cache must never hold a request up: every DynamoDB call has a time limit, and failures are logged and treated as misses."),
		field("Live timeout", "liveTimeout", "900", false,
			"Time limit in milliseconds of one DynamoDB call, retries included.", "text"),
		field("Close timeout in seconds", "closeTimeout", "10", false,
			"Longest time releasing this connection (a restart, a change of its settings) waits for removals that DynamoDB has not confirmed; until it does, other servers may still serve those entries. 0: release at once.",
			"text"),
		field("Log keys", "logKeys", "false", false,
			"Write keys as they are in the log and in error messages, for debugging. Off: a fingerprint of each key (the same for the same key), since keys such as session storage's hold session ids.",
			"checkbox", "true"),
		field("Strict", "strict", "false", false,
			"Throw when a write or delete fails (DynamoDB unreachable, throttled) instead of logging it. Reads that fail are always misses for cacheGet with a default.",
			"checkbox", "true"),
		field("Log", "log", "application", false,
			"Name of the Lucee log that receives this cache's errors (never values or credentials).", "text"),

		group("Entries", "Defaults for cachePut calls that give no time spans."),
		field("Time to live in seconds", "timeToLiveSeconds", "0", false,
			"Default lifetime of an entry. 0: entries live until removed.", "time"),
		field("Time to idle in seconds", "timeToIdleSeconds", "0", false,
			"Default time after which an entry that was not read expires. 0: none.", "time"),
		field("Consistent reads", "consistentRead", "false", false,
			"Read with strong consistency (twice the read capacity) so that a read always sees the last write.",
			"checkbox", "true"),

		group("Near cache", "A local copy, on this server, of what this cache read: a repeated read makes no request to DynamoDB. Writes of this server drop their copies at once; writes of other servers reach it from the table's DynamoDB Stream, which one server of the cluster reads and relays through a small invalidation feed in the table."),
		field("Near cache", "nearCache", "false", false,
			"Keep a near cache in front of DynamoDB.", "checkbox", "true"),
		field("Near cache size", "nearCacheMaxSize", "10000", false,
			"Most entries kept on this server; the least recently and frequently used go first.", "text"),
		field("Near cache time to live in seconds", "nearCacheTimeToLiveSeconds", "10", false,
			"Longest a local copy is served after it was read from DynamoDB: the staleness bound when the stream lags or cannot be read.",
			"time"),
		field("Stream invalidation", "streamInvalidation", "true", false,
			"Drop copies of keys that other servers wrote, relayed from the table's stream (one server reads it for all). With Create table on, a keys-only stream is enabled on a table that has none.",
			"checkbox", "true"),
		field("Stream poll interval", "streamPollInterval", "1000", false,
			"Milliseconds between two reads of the table's invalidation feed: about how long another server's write takes to reach this one.",
			"text")
	];

	public string function getClass() {
		return "io.dynamodbcache.lucee.DynamoDbLuceeCache";
	}

	public string function getLabel() {
		return "DynamoDB";
	}

	public string function getDescription() {
		return "A cache on an Amazon DynamoDB table, shared by every server that uses the table: time to live and idle time, typed CFML values, atomic counters and locks (DynamoDBCacheIncrement, DynamoDBCacheAdd, DynamoDBCacheDeleteIfValue).";
	}
}
