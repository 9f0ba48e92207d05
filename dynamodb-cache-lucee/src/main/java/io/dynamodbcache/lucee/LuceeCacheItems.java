package io.dynamodbcache.lucee;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamodbcache.core.CacheCodecException;
import lucee.runtime.cache.tag.CacheItem;
import lucee.runtime.type.Collection;
import lucee.runtime.type.Query;
import lucee.runtime.type.Struct;

/**
 * The items Lucee's own caching stores (a function's {@code cachedWithin} result, a {@code cfinclude}'s output,
 * a {@code cfquery}'s or a {@code cfhttp}'s result), as tagged JSON from their public accessors and back through
 * their public constructors. Only the item classes named here are ever made, whatever the stored bytes say: the
 * tag chooses the class, the bytes only the values, which go through {@link LuceeValueCodec}'s own rules (a
 * function returning a component is refused as a component is). Other kinds of Lucee cache items are refused,
 * with their class in the message.
 */
final class LuceeCacheItems {

	private static final String FUNCTION = "functionItem";

	private static final String INCLUDE = "includeItem";

	private static final String QUERY = "queryItem";

	private static final String HTTP = "httpItem";

	/** Tag of each supported item, by the class of Lucee's core that it stands for. */
	private static final Map<String, String> TAGS = Map.of("lucee.runtime.cache.tag.udf.UDFCacheItem", FUNCTION,
			"lucee.runtime.cache.tag.include.IncludeCacheItem", INCLUDE,
			"lucee.runtime.cache.tag.query.QueryCacheItem", QUERY, "lucee.runtime.cache.tag.http.HTTPCacheItem", HTTP);

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private LuceeCacheItems() {
	}

	static ObjectNode toNode(CacheItem item, ValueWriter values) {
		String type = item.getClass().getName();
		String tag = TAGS.get(type);
		if (tag == null) {
			throw new CacheCodecException("Lucee's " + type + " items cannot be cached in DynamoDB yet: use another "
					+ "cache for this kind of caching (function, include, HTTP and query caching with the default "
					+ "return type are supported)", null);
		}
		ObjectNode fields = switch (tag) {
			case QUERY -> queryFields(item, values);
			case HTTP -> httpFields(item, values);
			default -> outputFields(tag, item, values);
		};
		ObjectNode node = NODES.objectNode();
		node.set(tag, fields);
		return node;
	}

	static Object fromNode(String tag, JsonNode fields, ValueReader values) throws IOException {
		try {
			if (tag.equals(QUERY)) {
				return query(fields, values);
			}
			if (tag.equals(HTTP)) {
				return http(fields, values);
			}
			String output = fields.path("output").textValue();
			String name = fields.path("name").textValue();
			String meta = fields.path("meta").textValue();
			long executionTime = fields.path("executionTime").longValue();
			if (tag.equals(FUNCTION)) {
				Object returnValue = values.read(fields.get("returnValue"));
				return LuceeCore.constructor("lucee.runtime.cache.tag.udf.UDFCacheItem", String.class, Object.class,
						String.class, String.class, long.class)
					.newInstance(output, returnValue, name, meta, executionTime);
			}
			// IncludeCacheItem(output, path, name, executionTime); its meta is the path.
			return LuceeCore.constructor("lucee.runtime.cache.tag.include.IncludeCacheItem", String.class,
					String.class, String.class, long.class)
				.newInstance(output, meta, name, executionTime);
		}
		catch (ReflectiveOperationException ex) {
			throw new IOException("Could not make Lucee's " + tag + " again: " + ex.getMessage(), ex);
		}
	}

	private static ObjectNode outputFields(String tag, CacheItem item, ValueWriter values) {
		ObjectNode fields = NODES.objectNode();
		fields.put("output", (String) publicMember(item, "output", true));
		if (tag.equals(FUNCTION)) {
			fields.set("returnValue", values.write(publicMember(item, "returnValue", true)));
		}
		fields.put("name", item.getName());
		fields.put("meta", item.getMeta());
		fields.put("executionTime", item.getExecutionTime());
		return fields;
	}

	/**
	 * A query result with what Lucee's query cache reads of its item besides the query: the {@code cfquery}
	 * tags, the datasource's name and when it was cached ({@code cachedAfter}).
	 */
	private static ObjectNode queryFields(CacheItem item, ValueWriter values) {
		ObjectNode fields = NODES.objectNode();
		fields.set("query", values.write(publicMember(item, "query", true)));
		ArrayNode tags = fields.putArray("tags");
		for (String tag : (String[]) publicMember(item, "getTags", false)) {
			tags.add(tag);
		}
		fields.put("datasource", (String) publicMember(item, "getDatasourceName", false));
		fields.put("created", (Long) publicMember(item, "getCreationDate", false));
		return fields;
	}

	private static Object query(JsonNode fields, ValueReader values) throws IOException, ReflectiveOperationException {
		if (!(values.read(fields.get("query")) instanceof Query query)) {
			throw new IOException("A stored query item holds no query");
		}
		JsonNode storedTags = fields.path("tags");
		String[] tags = new String[storedTags.size()];
		for (int i = 0; i < tags.length; i++) {
			tags[i] = storedTags.get(i).textValue();
		}
		return LuceeCore.constructor("lucee.runtime.cache.tag.query.QueryCacheItem", Query.class, String[].class,
				String.class, long.class)
			.newInstance(query, tags, fields.path("datasource").textValue(), fields.path("created").longValue());
	}

	/**
	 * A {@code cfhttp} result with its URL and the request's time; on Lucee 7 also the id under which
	 * {@code cachedWithinFlush(result)} finds it again, which only the result struct that the item gives out
	 * knows.
	 */
	private static ObjectNode httpFields(CacheItem item, ValueWriter values) {
		ObjectNode fields = NODES.objectNode();
		Object data = publicMember(item, "getData", false);
		fields.set("data", values.write(data));
		fields.put("url", item.getName());
		fields.put("executionTime", item.getExecutionTime());
		try {
			Object cacheId = data.getClass().getMethod("getCacheId", Collection.class, String.class).invoke(data, null,
					null);
			if (cacheId instanceof String id) {
				fields.put("cacheId", id);
			}
		}
		catch (NoSuchMethodException ex) {
			// Lucee 6.2: the result struct has no cache id.
		}
		catch (ReflectiveOperationException ex) {
			throw new CacheCodecException("Could not read the cache id of a cfhttp result: " + ex.getMessage(), ex);
		}
		return fields;
	}

	private static Object http(JsonNode fields, ValueReader values) throws IOException, ReflectiveOperationException {
		if (!(values.read(fields.get("data")) instanceof Struct data)) {
			throw new IOException("A stored cfhttp item holds no result struct");
		}
		String url = fields.path("url").textValue();
		long executionTime = fields.path("executionTime").longValue();
		String className = "lucee.runtime.cache.tag.http.HTTPCacheItem";
		try {
			// Lucee 7: HTTPCacheItem(data, url, executionTime, cacheId), whose data is an HTTPStruct. Given another
			// struct, the item's getData() wraps it in an HTTPStruct without copying its entries (7.0.2), so the
			// entries go into an HTTPStruct here.
			String cacheId = fields.path("cacheId").textValue();
			Constructor<?> httpStruct = LuceeCore.constructor("lucee.runtime.type.util.HTTPStruct", String.class);
			Struct result = StructOrder.copy(data, () -> newStruct(httpStruct, cacheId));
			return LuceeCore.constructor(className, Struct.class, String.class, long.class, String.class)
				.newInstance(result, url, executionTime, cacheId);
		}
		catch (ClassNotFoundException ex) {
			// Lucee 6.2: no HTTPStruct, HTTPCacheItem(data, url, executionTime).
			return LuceeCore.constructor(className, Struct.class, String.class, long.class)
				.newInstance(data, url, executionTime);
		}
	}

	private static Struct newStruct(Constructor<?> constructor, Object... arguments) {
		try {
			return (Struct) constructor.newInstance(arguments);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not make Lucee's " + constructor.getDeclaringClass().getName(), ex);
		}
	}

	/** A public field, or the result of a public method without parameters, of one of Lucee's item classes. */
	private static Object publicMember(CacheItem item, String name, boolean field) {
		try {
			return (field) ? item.getClass().getField(name).get(item) : item.getClass().getMethod(name).invoke(item);
		}
		catch (ReflectiveOperationException ex) {
			throw new CacheCodecException("Lucee's " + item.getClass().getName() + " has no " + name
					+ " in this Lucee version", ex);
		}
	}

	/** Writes a value inside an item with the codec's own rules. */
	@FunctionalInterface
	interface ValueWriter {

		JsonNode write(Object value);

	}

	/** Reads a value inside an item with the codec's own rules. */
	@FunctionalInterface
	interface ValueReader {

		Object read(JsonNode node) throws IOException;

	}

}
