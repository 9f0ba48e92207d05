package io.dynamodbcache.lucee;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamodbcache.core.CacheCodecException;
import io.dynamodbcache.core.ValueCodec;
import lucee.loader.engine.CFMLEngine;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.Component;
import lucee.runtime.cache.tag.CacheItem;
import lucee.runtime.type.Array;
import lucee.runtime.type.Collection;
import lucee.runtime.type.Query;
import lucee.runtime.type.Struct;
import lucee.runtime.type.dt.TimeSpan;
import lucee.runtime.util.Creation;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * Encodes CFML values as tagged JSON and decodes them into Lucee's own types, so that every value comes
 * back with its type (an integer stays an integer, a date a date, a query a query) and no class is ever
 * named by, or instantiated from, the stored bytes. Structs keep their key case, their order (ordered structs)
 * and their case sensitivity; numbers their Java type (float, short and byte too); timespans their
 * milliseconds; XML documents come back as XML documents. Components and other objects have no safe
 * representation and are refused.
 */
final class LuceeValueCodec implements ValueCodec {

	private static final int MAX_DEPTH = 200;

	/** What Lucee's ram:// resource provider stores for each file and directory. */
	private static final String RAM_RESOURCE = "lucee.commons.io.res.type.cache.CacheResourceCore";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final ObjectMapper mapper = new ObjectMapper();

	@Override
	public byte[] encode(Object value) {
		try {
			return this.mapper.writeValueAsBytes(toNode(value, 0));
		}
		catch (IOException ex) {
			throw new CacheCodecException("Could not encode a CFML value: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Object decode(byte[] bytes) {
		try {
			return fromNode(this.mapper.readTree(bytes), creation());
		}
		catch (IOException | RuntimeException ex) {
			throw new CacheCodecException("Could not decode a cached CFML value: " + ex.getMessage(), ex);
		}
	}

	private JsonNode toNode(Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw new CacheCodecException("CFML value nests deeper than " + MAX_DEPTH
					+ " levels (a struct or array that contains itself?)", null);
		}
		if (value == null) {
			return NODES.nullNode();
		}
		if (value instanceof String || value instanceof Character) {
			return NODES.textNode(value.toString());
		}
		if (value instanceof Boolean bool) {
			return NODES.booleanNode(bool);
		}
		if (value instanceof Integer number) {
			return tagged("int", NODES.numberNode(number));
		}
		if (value instanceof Short number) {
			return tagged("short", NODES.numberNode(number));
		}
		if (value instanceof Byte number) {
			return tagged("byte", NODES.numberNode(number));
		}
		if (value instanceof Long number) {
			return tagged("long", NODES.numberNode(number));
		}
		if (value instanceof Double number) {
			return tagged("double", Double.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString()));
		}
		if (value instanceof Float number) {
			return tagged("float", Float.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString()));
		}
		if (value instanceof BigDecimal) {
			return tagged("decimal", NODES.textNode(value.toString()));
		}
		if (value instanceof BigInteger) {
			return tagged("bigint", NODES.textNode(value.toString()));
		}
		if (value instanceof Component) {
			throw new CacheCodecException("Components cannot be cached in DynamoDB (they have no safe stored form): "
					+ "cache a struct of their data instead, for example the result of a toStruct() method", null);
		}
		if (value instanceof Query query) {
			return tagged("query", LuceeQueries.toNode(query, (inner) -> toNode(inner, depth + 1)));
		}
		if (value instanceof Date date) {
			return tagged("date", NODES.numberNode(date.getTime()));
		}
		if (value instanceof TimeSpan span) {
			return tagged("timespan", NODES.numberNode(span.getMillis()));
		}
		if (value instanceof byte[] bytes) {
			return tagged("binary", NODES.textNode(Base64.getEncoder().encodeToString(bytes)));
		}
		if (value instanceof byte[][] chunks) {
			// Lucee's own byte representation of session and client scopes.
			ArrayNode array = NODES.arrayNode();
			for (byte[] chunk : chunks) {
				array.add((chunk != null) ? NODES.textNode(Base64.getEncoder().encodeToString(chunk)) : NODES.nullNode());
			}
			return tagged("binaries", array);
		}
		if (value instanceof Node node) {
			// Before Struct: Lucee's XML documents and elements are structs too.
			return xmlNode(node);
		}
		if (value instanceof Struct struct) {
			ArrayNode entries = NODES.arrayNode();
			for (Collection.Key key : struct.keys()) {
				entries.add(NODES.arrayNode().add(key.getString()).add(toNode(struct.get(key, null), depth + 1)));
			}
			return structNode(entries, StructKind.of(struct));
		}
		if (value instanceof Map<?, ?> map) {
			// A Java map keeps keys that differ only in case apart: so does the struct it comes back as.
			ArrayNode entries = NODES.arrayNode();
			map.forEach((key, item) -> entries.add(NODES.arrayNode().add(String.valueOf(key)).add(toNode(item, depth + 1))));
			return structNode(entries, StructKind.from(Struct.TYPE_UNDEFINED,
					map instanceof LinkedHashMap || map instanceof SortedMap, true));
		}
		if (value instanceof Array array) {
			return tagged("array", arrayNode(array.toArray(), depth));
		}
		if (value instanceof List<?> list) {
			return tagged("array", arrayNode(list.toArray(), depth));
		}
		if (value instanceof Object[] objects) {
			return tagged("array", arrayNode(objects, depth));
		}
		if (value instanceof CacheItem item) {
			// Lucee's own caching: a function's cachedWithin result, an include's output, a query's or cfhttp's result.
			return LuceeCacheItems.toNode(item, (inner) -> toNode(inner, depth + 1));
		}
		if (value.getClass().getName().equals(RAM_RESOURCE)) {
			throw new CacheCodecException("Lucee's ram:// files and directories cannot be stored in a DynamoDB cache: "
					+ "Lucee changes a stored ram:// file in place and relies on the cache giving back that same object, "
					+ "which only an in-memory cache does; keep RamCache as the resource cache (this.cache.resource)",
					null);
		}
		throw new CacheCodecException("Values of type " + value.getClass().getName() + " cannot be cached in "
				+ "DynamoDB: cache strings, numbers, booleans, dates, binary, structs, arrays or queries", null);
	}

	private ArrayNode arrayNode(Object[] items, int depth) {
		ArrayNode array = NODES.arrayNode();
		for (Object item : items) {
			array.add(toNode(item, depth + 1));
		}
		return array;
	}

	private static ObjectNode tagged(String type, JsonNode value) {
		ObjectNode node = NODES.objectNode();
		node.set(type, value);
		return node;
	}

	/** A struct's entries with what {@link StructKind#from} needs to make the same kind of struct again. */
	private static ObjectNode structNode(ArrayNode entries, StructKind kind) {
		ObjectNode node = tagged("struct", entries);
		if (kind.ordered()) {
			node.put("ordered", true);
		}
		if (kind.caseSensitive()) {
			node.put("caseSensitive", true);
		}
		if (kind.hasOwnType()) {
			node.put("type", kind.type());
		}
		return node;
	}

	private static JsonNode xmlNode(Node node) {
		if (!(node instanceof Document)) {
			throw new CacheCodecException("XML elements and other parts of an XML document cannot be cached on their "
					+ "own: cache the document (xmlParse(toString(element))) or its text (toString(element))", null);
		}
		String text = engine().getCastUtil().toString(node, null);
		if (text == null) {
			throw new CacheCodecException("Could not write an XML document as text to cache it", null);
		}
		ObjectNode xml = tagged("xml", NODES.textNode(text));
		if (XmlDocuments.isCaseSensitive(node)) {
			xml.put("caseSensitive", true);
		}
		return xml;
	}

	private Object fromNode(JsonNode node, Creation creation) throws IOException {
		if (node == null || node.isNull()) {
			return null;
		}
		if (node.isTextual()) {
			return node.textValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (!node.isObject()) {
			throw new IOException("Unexpected JSON " + node.getNodeType());
		}
		Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
		Map.Entry<String, JsonNode> tag = fields.next();
		JsonNode value = tag.getValue();
		switch (tag.getKey()) {
			case "int":
				return value.intValue();
			case "short":
				return value.shortValue();
			case "byte":
				return (byte) value.intValue();
			case "long":
				return value.longValue();
			case "double":
				return value.isTextual() ? Double.valueOf(value.textValue()) : value.doubleValue();
			case "float":
				return value.isTextual() ? Float.valueOf(value.textValue()) : value.floatValue();
			case "decimal":
				return new BigDecimal(value.textValue());
			case "bigint":
				return new BigInteger(value.textValue());
			case "date":
				return creation.createDateTime(value.longValue());
			case "timespan":
				return engine().getCastUtil().toTimespan(value.longValue());
			case "xml":
				return XmlDocuments.parse(value.textValue(), node.path("caseSensitive").asBoolean(false));
			case "binary":
				return Base64.getDecoder().decode(value.textValue());
			case "binaries": {
				byte[][] chunks = new byte[value.size()][];
				for (int i = 0; i < chunks.length; i++) {
					chunks[i] = value.get(i).isNull() ? null : Base64.getDecoder().decode(value.get(i).textValue());
				}
				return chunks;
			}
			case "array": {
				Array array = creation.createArray();
				for (JsonNode item : value) {
					array.appendEL(fromNode(item, creation));
				}
				return array;
			}
			case "struct":
				return struct(StructKind.from(node.path("type").asInt(Struct.TYPE_SYNC),
						node.path("ordered").asBoolean(false), node.path("caseSensitive").asBoolean(false)), value,
						creation);
			case "query":
				return LuceeQueries.fromNode(value, creation, (inner) -> fromNode(inner, creation));
			case "functionItem":
			case "includeItem":
			case "queryItem":
			case "httpItem":
				return LuceeCacheItems.fromNode(tag.getKey(), value, (inner) -> fromNode(inner, creation));
			default:
				throw new IOException("Unknown value tag '" + tag.getKey() + "'");
		}
	}

	private Struct struct(StructKind kind, JsonNode entries, Creation creation) throws IOException {
		List<Collection.Key> keys = new ArrayList<>(entries.size());
		List<Object> items = new ArrayList<>(entries.size());
		for (JsonNode entry : entries) {
			keys.add(creation.createKey(entry.get(0).textValue()));
			items.add(fromNode(entry.get(1), creation));
		}
		return StructOrder.withEntries(() -> kind.create(creation), kind.ordered(), keys, items);
	}

	private static Creation creation() {
		return engine().getCreationUtil();
	}

	private static CFMLEngine engine() {
		return CFMLEngineFactory.getInstance();
	}

}
