package io.dynamodbcache.core;

/** An enum whose {@code toString} is not its name, as display-friendly enums often have. */
enum Rating {

	GOOD("Good"), EXCELLENT("Excellent!");

	private final String label;

	Rating(String label) {
		this.label = label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
