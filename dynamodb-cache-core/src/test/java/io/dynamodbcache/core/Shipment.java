package io.dynamodbcache.core;

/** A class with only an all-args constructor and getters, as many value classes are. */
final class Shipment {

	private final String id;

	private final int parcels;

	Shipment(String id, int parcels) {
		this.id = id;
		this.parcels = parcels;
	}

	public String getId() {
		return this.id;
	}

	public int getParcels() {
		return this.parcels;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Shipment that && this.id.equals(that.id) && this.parcels == that.parcels;
	}

	@Override
	public int hashCode() {
		return this.id.hashCode() * 31 + this.parcels;
	}

}
