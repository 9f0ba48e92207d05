package io.dynamodbcache.lucee;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's code examples, so that tests run them as they are written there.
 */
final class ReadmeCode {

	private ReadmeCode() {
	}

	/** The first fenced code block after the line that contains {@code marker}. */
	static String blockAfter(String marker) {
		String readme;
		try {
			readme = Files.readString(Path.of(System.getProperty("readme.file")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int at = readme.indexOf(marker);
		if (at < 0) {
			throw new IllegalStateException("The README has no '" + marker + "'");
		}
		int start = readme.indexOf('\n', readme.indexOf("```", at)) + 1;
		return readme.substring(start, readme.indexOf("\n```", start) + 1);
	}

}
