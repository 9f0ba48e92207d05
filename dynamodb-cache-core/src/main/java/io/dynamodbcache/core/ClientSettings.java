package io.dynamodbcache.core;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Where and as whom a DynamoDB client connects, as the Spring Boot and Lucee integrations configure it.
 * Unset values fall back to the AWS SDK's default chains (region: {@code AWS_REGION}, profile, instance
 * metadata; credentials: environment, profile, web identity, container or instance role). An endpoint
 * without a region, typically DynamoDB Local, gets {@code us-east-1}.
 *
 * @param region the region id, or {@code null}
 * @param endpoint the endpoint, or {@code null} for the region's
 * @param accessKeyId a static access key id, or {@code null}
 * @param secretAccessKey the static secret access key, or {@code null}
 */
public record ClientSettings(String region, URI endpoint, String accessKeyId, String secretAccessKey) {

	/**
	 * Check the settings.
	 * @throws IllegalArgumentException if only one of the two keys is given
	 */
	public ClientSettings {
		if (isBlank(accessKeyId) != isBlank(secretAccessKey)) {
			throw new IllegalArgumentException("Give both an access key id and a secret access key, or neither to use "
					+ "the AWS default credentials chain");
		}
	}

	/**
	 * Apply the settings to a client builder.
	 * @param builder a DynamoDB (or other AWS) client builder
	 * @param <B> the builder type
	 * @return the builder
	 */
	public <B extends AwsClientBuilder<B, ?>> B applyTo(B builder) {
		String effectiveRegion = (isBlank(this.region) && this.endpoint != null) ? Region.US_EAST_1.id() : this.region;
		if (!isBlank(effectiveRegion)) {
			builder.region(Region.of(effectiveRegion));
		}
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		if (!isBlank(this.accessKeyId)) {
			builder.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create(this.accessKeyId, this.secretAccessKey)));
		}
		return builder;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	@Override
	public String toString() {
		// Never print the keys.
		return "ClientSettings[region=" + this.region + ", endpoint=" + this.endpoint + ", credentials="
				+ (isBlank(this.accessKeyId) ? "default chain" : "static") + "]";
	}

}
