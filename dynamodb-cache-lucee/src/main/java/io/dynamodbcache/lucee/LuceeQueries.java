package io.dynamodbcache.lucee;

import java.io.IOException;
import java.lang.reflect.Method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.db.SQL;
import lucee.runtime.db.SQLItem;
import lucee.runtime.exp.PageException;
import lucee.runtime.type.Collection;
import lucee.runtime.type.Query;
import lucee.runtime.type.QueryColumn;
import lucee.runtime.util.Creation;
import lucee.runtime.util.DBUtil;

/**
 * A query's stored form: its columns with their SQL types and its rows, and what Lucee shows of a query besides
 * them: its name, the SQL that made it with its parameters (the filter of
 * {@code <cfobjectcache action="clear">} is matched against it), its execution time (a cached query's
 * {@code result.executionTime}) and its template.
 * Cells and parameter values go through {@link LuceeValueCodec}'s own rules.
 */
final class LuceeQueries {

	/** The name Lucee gives a query made without one ({@code queryNew}). */
	private static final String DEFAULT_NAME = "query";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final Object NULL_CELL = new Object();

	private LuceeQueries() {
	}

	static ObjectNode toNode(Query query, LuceeCacheItems.ValueWriter values) {
		ObjectNode node = NODES.objectNode();
		ArrayNode columns = node.putArray("columns");
		ArrayNode types = node.putArray("types");
		Collection.Key[] names = query.getColumnNames();
		QueryColumn[] queryColumns = new QueryColumn[names.length];
		for (int i = 0; i < names.length; i++) {
			columns.add(names[i].getString());
			queryColumns[i] = query.getColumn(names[i], null);
			types.add((queryColumns[i] != null) ? queryColumns[i].getTypeAsString() : "VARCHAR");
		}
		ArrayNode rows = node.putArray("rows");
		for (int row = 1; row <= query.getRowCount(); row++) {
			ArrayNode cells = rows.addArray();
			for (QueryColumn column : queryColumns) {
				// From the column: the query's getAt gives "" for a null cell without full null support.
				Object cell = (column != null) ? column.get(row, NULL_CELL) : NULL_CELL;
				cells.add(values.write((cell == NULL_CELL) ? null : cell));
			}
		}
		String name = name(query);
		if (name != null && !name.equals(DEFAULT_NAME)) {
			node.put("name", name);
		}
		SQL sql = query.getSql();
		if (sql != null) {
			node.set("sql", sqlNode(sql, values));
		}
		if (query.getExecutionTime() != 0) {
			node.put("executionTime", query.getExecutionTime());
		}
		if (query.getTemplate() != null) {
			node.put("template", query.getTemplate());
		}
		return node;
	}

	static Query fromNode(JsonNode node, Creation creation, LuceeCacheItems.ValueReader values) throws IOException {
		JsonNode columns = node.get("columns");
		JsonNode types = node.get("types");
		JsonNode rows = node.get("rows");
		DBUtil db = CFMLEngineFactory.getInstance().getDBUtil();
		try {
			Query query = (Query) LuceeCore
				.constructor("lucee.runtime.type.QueryImpl", Collection.Key[].class, int.class, String.class, SQL.class)
				.newInstance(new Collection.Key[0], rows.size(), node.path("name").asText(DEFAULT_NAME),
						sql(node.get("sql"), values));
			for (int column = 0; column < columns.size(); column++) {
				Collection.Key name = creation.createKey(columns.get(column).textValue());
				// Cell by cell: a column given as an array loses a null in its last row.
				query.addColumn(name, creation.createArray(), db.toSQLType(types.get(column).textValue()));
				for (int row = 0; row < rows.size(); row++) {
					query.setAtEL(name, row + 1, values.read(rows.get(row).get(column)));
				}
			}
			if (node.has("executionTime")) {
				query.setExecutionTime(node.get("executionTime").longValue());
			}
			if (node.has("template")) {
				setTemplate(query, node.get("template").textValue());
			}
			return query;
		}
		catch (PageException | ReflectiveOperationException ex) {
			throw new IOException("Could not make a query with columns " + columns + " again: " + ex.getMessage(), ex);
		}
	}

	private static ObjectNode sqlNode(SQL sql, LuceeCacheItems.ValueWriter values) {
		ObjectNode node = NODES.objectNode();
		node.put("text", sql.getSQLString());
		SQLItem[] items = sql.getItems();
		if (items != null && items.length > 0) {
			ArrayNode parameters = node.putArray("parameters");
			for (SQLItem item : items) {
				ObjectNode parameter = parameters.addObject();
				parameter.set("value", values.write(item.getValue()));
				parameter.put("type", item.getType());
				parameter.put("scale", item.getScale());
				parameter.put("nulls", item.isNulls());
			}
		}
		return node;
	}

	private static SQL sql(JsonNode node, LuceeCacheItems.ValueReader values)
			throws IOException, ReflectiveOperationException {
		if (node == null) {
			return null;
		}
		JsonNode parameters = node.path("parameters");
		SQLItem[] items = new SQLItem[parameters.size()];
		for (int i = 0; i < items.length; i++) {
			JsonNode parameter = parameters.get(i);
			items[i] = (SQLItem) LuceeCore.constructor("lucee.runtime.db.SQLItemImpl", Object.class, int.class)
				.newInstance(values.read(parameter.get("value")), parameter.path("type").intValue());
			items[i].setScale(parameter.path("scale").intValue());
			items[i].setNulls(parameter.path("nulls").booleanValue());
		}
		return (SQL) LuceeCore.constructor("lucee.runtime.db.SQLImpl", String.class, SQLItem[].class)
			.newInstance(node.path("text").textValue(), items);
	}

	/** The query's name, which Lucee's API has only on its query class ({@code QueryResult.getName}). */
	private static String name(Query query) {
		try {
			Object name = query.getClass().getMethod("getName").invoke(query);
			return (name instanceof String text) ? text : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static void setTemplate(Query query, String template) throws ReflectiveOperationException {
		Class<?> templateLine = LuceeCore.coreClass("lucee.commons.io.SystemUtil$TemplateLine");
		Method setter = query.getClass().getMethod("setTemplateLine", templateLine);
		setter.invoke(query, templateLine.getConstructor(String.class).newInstance(template));
	}

}
