package io.dynamodbcache.lucee;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import lucee.loader.engine.CFMLEngine;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.PageContext;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML documents as cached values: stored as their text, read back with Lucee's own {@code xmlParse}, so that
 * they are the same CFML XML objects that were cached.
 */
final class XmlDocuments {

	private XmlDocuments() {
	}

	static boolean isCaseSensitive(Node document) {
		try {
			Method method = document.getClass().getMethod("isCaseSensitive");
			return Boolean.TRUE.equals(method.invoke(document));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Parse stored XML text the way {@code xmlParse} does, with Lucee's XML security settings. Without a CFML
	 * request on this thread, a plain DOM document (still XML to CFML) is parsed with external entities and
	 * DOCTYPEs refused.
	 */
	static Object parse(String text, boolean caseSensitive) throws IOException {
		CFMLEngine engine = CFMLEngineFactory.getInstance();
		PageContext pageContext = engine.getThreadPageContext();
		if (pageContext != null) {
			try {
				return engine.getClassUtil().loadBIF(pageContext, "xmlParse")
					.invoke(pageContext, new Object[] { text, caseSensitive });
			}
			catch (Exception ex) {
				throw new IOException("Could not parse a cached XML document: " + ex.getMessage(), ex);
			}
		}
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setExpandEntityReferences(false);
			factory.setNamespaceAware(true);
			return factory.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
		}
		catch (ParserConfigurationException | SAXException ex) {
			throw new IOException("Could not parse a cached XML document: " + ex.getMessage(), ex);
		}
	}

}
