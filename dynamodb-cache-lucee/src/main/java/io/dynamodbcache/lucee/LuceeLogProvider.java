package io.dynamodbcache.lucee;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import lucee.commons.io.log.Log;

/**
 * The SLF4J provider of the Lucee bundle: what the store, the near cache and the connection settings log
 * goes to the Lucee logs that the connections name with their {@code log} setting ({@link LuceeLogs}), with
 * its level, instead of SLF4J's no-operation default. Registered only inside the bundle (the shade adds its
 * service file), so that it never competes with an application's own SLF4J provider. Not API.
 */
public final class LuceeLogProvider implements SLF4JServiceProvider {

	private final ILoggerFactory loggers = LuceeLogger::new;

	private final IMarkerFactory markers = new BasicMarkerFactory();

	private final MDCAdapter mdc = new NOPMDCAdapter();

	@Override
	public ILoggerFactory getLoggerFactory() {
		return this.loggers;
	}

	@Override
	public IMarkerFactory getMarkerFactory() {
		return this.markers;
	}

	@Override
	public MDCAdapter getMDCAdapter() {
		return this.mdc;
	}

	@Override
	public String getRequestedApiVersion() {
		return "2.0.99";
	}

	@Override
	public void initialize() {
	}

	/** One named logger: its lines, formatted as SLF4J formats them, to every connection's Lucee log. */
	static final class LuceeLogger extends LegacyAbstractLogger {

		private static final long serialVersionUID = 1L;

		/** The label of every line in Lucee's log, as the connection's own lines have. */
		private static final String APPLICATION = "dynamodb-cache";

		LuceeLogger(String name) {
			this.name = name;
		}

		@Override
		public boolean isTraceEnabled() {
			return LuceeLogs.anyTakes(Log.LEVEL_TRACE);
		}

		@Override
		public boolean isDebugEnabled() {
			return LuceeLogs.anyTakes(Log.LEVEL_DEBUG);
		}

		@Override
		public boolean isInfoEnabled() {
			return LuceeLogs.anyTakes(Log.LEVEL_INFO);
		}

		@Override
		public boolean isWarnEnabled() {
			return LuceeLogs.anyTakes(Log.LEVEL_WARN);
		}

		@Override
		public boolean isErrorEnabled() {
			return LuceeLogs.anyTakes(Log.LEVEL_ERROR);
		}

		@Override
		protected String getFullyQualifiedCallerName() {
			return null;
		}

		@Override
		protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
				Object[] arguments, Throwable throwable) {
			int luceeLevel = switch (level) {
				case TRACE -> Log.LEVEL_TRACE;
				case DEBUG -> Log.LEVEL_DEBUG;
				case INFO -> Log.LEVEL_INFO;
				case WARN -> Log.LEVEL_WARN;
				case ERROR -> Log.LEVEL_ERROR;
			};
			String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
			// The store's lines never carry values; a throwable's message is enough, as the connection's own
			// lines give it (a stack trace would name this library's classes on every failed request).
			String line = (throwable != null)
					? message + ": " + throwable.getClass().getSimpleName() + ": " + throwable.getMessage() : message;
			LuceeLogs.each((log) -> log.log(luceeLevel, APPLICATION, line));
		}

	}

}
