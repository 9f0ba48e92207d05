package io.dynamodbcache.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A mutable JavaBean with the property names that Jackson generations name differently unless configured alike
 * ({@code getURL}, {@code getxRay}), properties out of alphabetical order, and a list with a getter only.
 */
public class Parcel {

	private String url;

	private String xRay;

	private int weight;

	private final List<String> labels = new ArrayList<>();

	public String getURL() {
		return this.url;
	}

	public void setURL(String url) {
		this.url = url;
	}

	public String getxRay() {
		return this.xRay;
	}

	public void setxRay(String xRay) {
		this.xRay = xRay;
	}

	public int getWeight() {
		return this.weight;
	}

	public void setWeight(int weight) {
		this.weight = weight;
	}

	public List<String> getLabels() {
		return this.labels;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Parcel that && Objects.equals(this.url, that.url) && Objects.equals(this.xRay, that.xRay)
				&& this.weight == that.weight && this.labels.equals(that.labels);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.url, this.xRay, this.weight, this.labels);
	}

}
