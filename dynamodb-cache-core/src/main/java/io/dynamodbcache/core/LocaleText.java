package io.dynamodbcache.core;

import java.util.IllformedLocaleException;
import java.util.Locale;

/**
 * The stored text of a {@link Locale}, the same for both Jackson generations and read back {@code equals} to
 * what was written, scripts, extensions and private use included.
 * <p>
 * A locale is written as {@link Locale#toString()} ({@code fr_CA}, {@code zh_TW_#Hant}, {@code th_TH_#u-nu-thai}),
 * the form Jackson 2 writes, where that form reads back equal; otherwise (no language and no region, but a
 * script or an extension: {@code und-x-foo}, whose {@code toString} is empty) as its language tag. Text with a
 * hyphen before any {@code #} is read as a language tag, so values written with Jackson 3's default, the
 * language tag, read back too. A locale that neither form reproduces (fields that are not well formed, such as
 * a variant holding a hyphen) is refused when it is written: the put is dropped, never read back as another
 * locale. Jackson 2 reads {@code zh_TW_#Hant} as it should, but loses all but the first of several extensions,
 * and Jackson 3 reads the script as a variant; neither of their readers is used.
 */
final class LocaleText {

	private LocaleText() {
	}

	/**
	 * The text to store for the locale.
	 * @throws IllegalArgumentException where no text reads back equal to the locale
	 */
	static String write(Locale locale) {
		String legacy = locale.toString();
		if (readsBackAs(legacy, locale)) {
			return legacy;
		}
		String tag = locale.toLanguageTag();
		if (isLanguageTag(tag) && readsBackAs(tag, locale)) {
			return tag;
		}
		throw new IllegalArgumentException("The locale " + legacy + " (language tag " + tag
				+ ") cannot be stored: neither form reads back as an equal locale");
	}

	/**
	 * The locale that the stored text stands for.
	 * @throws IllegalArgumentException where the text is not a locale's
	 */
	static Locale read(String text) {
		if (isLanguageTag(text)) {
			return Locale.forLanguageTag(text);
		}
		int hash = text.indexOf('#');
		String base = text;
		String scriptAndExtensions = "";
		if (hash >= 0) {
			// toString writes "_#" before the script or extensions, after the variant, or after an empty one.
			if (hash == 0 || text.charAt(hash - 1) != '_') {
				throw new IllegalArgumentException("Not a locale: '#' must follow '_'");
			}
			base = text.substring(0, hash - 1);
			scriptAndExtensions = text.substring(hash + 1);
		}
		String[] fields = base.split("_", 3);
		String language = fields[0];
		String region = (fields.length > 1) ? fields[1] : "";
		String variant = (fields.length > 2) ? fields[2] : "";
		@SuppressWarnings("deprecation") // Locale.of is Java 19; the baseline is 17
		Locale plain = new Locale(language, region, variant);
		if (scriptAndExtensions.isEmpty() || plain.toString().equals(text)) {
			// The second case: ja_JP_JP and th_TH_TH, whose constructor adds their extension itself.
			return plain;
		}
		String script = "";
		String extensions = "";
		int underscore = scriptAndExtensions.indexOf('_');
		if (underscore >= 0) {
			script = scriptAndExtensions.substring(0, underscore);
			extensions = scriptAndExtensions.substring(underscore + 1);
		}
		else if (scriptAndExtensions.indexOf('-') < 0) {
			script = scriptAndExtensions;
		}
		else {
			extensions = scriptAndExtensions;
		}
		try {
			Locale.Builder builder = new Locale.Builder().setLanguage(language)
				.setRegion(region)
				.setVariant(variant)
				.setScript(script);
			if (!extensions.isEmpty()) {
				Locale carrier = new Locale.Builder().setLanguageTag("und-" + extensions).build();
				for (char key : carrier.getExtensionKeys()) {
					builder.setExtension(key, carrier.getExtension(key));
				}
			}
			return builder.build();
		}
		catch (IllformedLocaleException ex) {
			throw new IllegalArgumentException("Not a locale: " + ex.getMessage(), ex);
		}
	}

	/** {@code toString} never has a hyphen before its {@code #}; a language tag with more than one subtag does. */
	private static boolean isLanguageTag(String text) {
		int hyphen = text.indexOf('-');
		if (hyphen < 0) {
			return false;
		}
		int hash = text.indexOf('#');
		return hash < 0 || hyphen < hash;
	}

	private static boolean readsBackAs(String text, Locale locale) {
		try {
			return read(text).equals(locale);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
