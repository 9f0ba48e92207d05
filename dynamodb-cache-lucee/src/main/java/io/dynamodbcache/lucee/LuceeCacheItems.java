package io.dynamodbcache.lucee;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamodbcache.core.CacheCodecException;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.cache.tag.CacheItem;

/**
 * The items Lucee's own caching stores (a function's {@code cachedWithin} result, a {@code cfinclude}'s output), as
 * tagged JSON from their public accessors and back through their public constructors. Only the item classes
 * named here are ever made, whatever the stored bytes say: the tag chooses the class, the bytes only the values,
 * which go through {@link LuceeValueCodec}'s own rules (a function returning a component is refused as a
 * component is). Other kinds of Lucee cache items are refused, with their class in the message.
 */
final class LuceeCacheItems {

	/** Tag of each supported item, by the class of Lucee's core that it stands for. */
	private static final Map<String, String> TAGS = Map.of("lucee.runtime.cache.tag.udf.UDFCacheItem", "functionItem",
			"lucee.runtime.cache.tag.include.IncludeCacheItem", "includeItem");

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private LuceeCacheItems() {
	}

	static ObjectNode toNode(CacheItem item, ValueWriter values) {
		String type = item.getClass().getName();
		String tag = TAGS.get(type);
		if (tag == null) {
			throw new CacheCodecException("Lucee's " + type + " items cannot be cached in DynamoDB yet: use another "
					+ "cache for this kind of caching (function and include caching are supported)", null);
		}
		ObjectNode fields = NODES.objectNode();
		fields.put("output", (String) publicField(item, "output"));
		if (tag.equals("functionItem")) {
			fields.set("returnValue", values.write(publicField(item, "returnValue")));
		}
		fields.put("name", item.getName());
		fields.put("meta", item.getMeta());
		fields.put("executionTime", item.getExecutionTime());
		ObjectNode node = NODES.objectNode();
		node.set(tag, fields);
		return node;
	}

	static Object fromNode(String tag, JsonNode fields, ValueReader values) throws IOException {
		String output = fields.path("output").textValue();
		String name = fields.path("name").textValue();
		String meta = fields.path("meta").textValue();
		long executionTime = fields.path("executionTime").longValue();
		try {
			if (tag.equals("functionItem")) {
				Object returnValue = values.read(fields.get("returnValue"));
				return constructor("lucee.runtime.cache.tag.udf.UDFCacheItem", String.class, Object.class, String.class,
						String.class, long.class)
					.newInstance(output, returnValue, name, meta, executionTime);
			}
			// IncludeCacheItem(output, path, name, executionTime); its meta is the path.
			return constructor("lucee.runtime.cache.tag.include.IncludeCacheItem", String.class, String.class,
					String.class, long.class)
				.newInstance(output, meta, name, executionTime);
		}
		catch (ReflectiveOperationException ex) {
			throw new IOException("Could not make Lucee's " + tag + " again: " + ex.getMessage(), ex);
		}
	}

	private static Object publicField(CacheItem item, String name) {
		try {
			return item.getClass().getField(name).get(item);
		}
		catch (ReflectiveOperationException ex) {
			throw new CacheCodecException("Lucee's " + item.getClass().getName() + " has no field " + name
					+ " in this Lucee version", ex);
		}
	}

	/**
	 * A constructor of Lucee's core, loaded by the core bundle's class loader (that of the engine's creation
	 * utility, a core class: the engine object itself may be the loader's wrapper), so that Lucee's own
	 * {@code instanceof} checks hold.
	 */
	private static Constructor<?> constructor(String className, Class<?>... parameters)
			throws ReflectiveOperationException {
		ClassLoader core = CFMLEngineFactory.getInstance().getCreationUtil().getClass().getClassLoader();
		return Class.forName(className, false, core).getConstructor(parameters);
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
