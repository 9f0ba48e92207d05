package io.dynamodbcache.lucee;

import java.lang.reflect.Constructor;

import lucee.loader.engine.CFMLEngineFactory;

/**
 * Public constructors of classes of Lucee's core that its loader API has no factory for (Lucee's own cache items,
 * a query with its SQL). Only class names written in this extension's code are ever loaded, never a name from
 * the stored bytes.
 */
final class LuceeCore {

	private LuceeCore() {
	}

	/**
	 * A constructor of Lucee's core, loaded by the core bundle's class loader (that of the engine's creation
	 * utility, a core class: the engine object itself may be the loader's wrapper), so that Lucee's own
	 * {@code instanceof} checks hold.
	 */
	static Constructor<?> constructor(String className, Class<?>... parameters) throws ReflectiveOperationException {
		return coreClass(className).getConstructor(parameters);
	}

	static Class<?> coreClass(String className) throws ClassNotFoundException {
		ClassLoader core = CFMLEngineFactory.getInstance().getCreationUtil().getClass().getClassLoader();
		return Class.forName(className, false, core);
	}

}
