package io.dynamodbcache.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where and as whom a DynamoDB client connects, as the Spring Boot and Lucee integrations configure it.
 * <ul>
 * <li>Region: the one given; else {@code us-east-1} when an endpoint is given (typically DynamoDB Local); else the
 * AWS SDK's default chain ({@code aws.region}, {@code AWS_REGION}, profile, instance metadata). When none resolves,
 * {@link #applyTo} throws a {@link MissingSettingException} for {@link Setting#REGION}.</li>
 * <li>Credentials: the static keys given; else, for a loopback endpoint (DynamoDB Local, which accepts any
 * letters-and-digits keys), the {@linkplain #LOOPBACK_ACCESS_KEY_ID dummy keys}; else the AWS SDK's default chain
 * (environment, profile, web identity, container or instance role). For an endpoint that is not loopback the chain
 * is asked at once, and a {@link MissingSettingException} for {@link Setting#CREDENTIALS} names the problem
 * instead of every request failing later.</li>
 * </ul>
 *
 * @param region the region id, or {@code null}
 * @param endpoint the endpoint, or {@code null} for the region's
 * @param accessKeyId a static access key id, or {@code null}
 * @param secretAccessKey the static secret access key, or {@code null}
 */
public record ClientSettings(@Nullable String region, @Nullable URI endpoint, @Nullable String accessKeyId,
		@Nullable String secretAccessKey) {

	/** Access key id used for a loopback endpoint when no keys are given. */
	public static final String LOOPBACK_ACCESS_KEY_ID = "dummy";

	/** Secret access key used for a loopback endpoint when no keys are given. */
	public static final String LOOPBACK_SECRET_ACCESS_KEY = "dummy";

	private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
	 * @throws MissingSettingException if no region, or for an endpoint that is not loopback no credentials, can be
	 * resolved
	 */
	public <B extends AwsClientBuilder<B, ?>> B applyTo(B builder) {
		return applyTo(builder, DefaultAwsRegionProviderChain.builder().build());
	}

	<B extends AwsClientBuilder<B, ?>> B applyTo(B builder, AwsRegionProvider regionChain) {
		builder.region(effectiveRegion(regionChain));
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		if (!isBlank(this.accessKeyId)) {
			builder.credentialsProvider(staticCredentials(this.accessKeyId, this.secretAccessKey));
		}
		else if (isLoopbackEndpoint()) {
			builder.credentialsProvider(staticCredentials(LOOPBACK_ACCESS_KEY_ID, LOOPBACK_SECRET_ACCESS_KEY));
		}
		else if (this.endpoint != null) {
			checkDefaultCredentials();
		}
		return builder;
	}

	/**
	 * Say where the credentials come from, never what they are.
	 * @return for example {@code "static keys"}
	 */
	public String credentialsSource() {
		if (!isBlank(this.accessKeyId)) {
			return "static keys";
		}
		return isLoopbackEndpoint() ? "dummy keys for a loopback endpoint" : "AWS default credentials chain";
	}

	/**
	 * Whether the endpoint is on this machine: {@code localhost} or a loopback address literal (never looked up).
	 * @return whether the endpoint is loopback
	 */
	public boolean isLoopbackEndpoint() {
		String host = (this.endpoint != null) ? this.endpoint.getHost() : null;
		if (host == null) {
			return false;
		}
		String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (bare.toLowerCase(Locale.ROOT).equals("localhost")) {
			return true;
		}
		if (!bare.contains(":") && !IPV4_LITERAL.matcher(bare).matches()) {
			return false;
		}
		try {
			return InetAddress.getByName(bare).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private Region effectiveRegion(AwsRegionProvider regionChain) {
		if (!isBlank(this.region)) {
			return Region.of(this.region);
		}
		if (this.endpoint != null) {
			return Region.US_EAST_1;
		}
		try {
			return regionChain.getRegion();
		}
		catch (SdkClientException ex) {
			throw new MissingSettingException(Setting.REGION,
					"No AWS region could be resolved (aws.region, AWS_REGION, profile, instance metadata)", ex);
		}
	}

	private void checkDefaultCredentials() {
		try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
			chain.resolveCredentials();
		}
		catch (SdkClientException ex) {
			throw new MissingSettingException(Setting.CREDENTIALS, "No AWS credentials could be resolved for endpoint "
					+ this.endpoint + " (environment, profile, web identity, container or instance role)", ex);
		}
	}

	private static StaticCredentialsProvider staticCredentials(String accessKeyId, String secretAccessKey) {
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	@Override
	public String toString() {
		// Never print the keys.
		return "ClientSettings[region=" + this.region + ", endpoint=" + this.endpoint + ", credentials="
				+ credentialsSource() + "]";
	}

	/** A setting that the client cannot do without. */
	public enum Setting {

		/** The AWS region. */
		REGION,

		/** The access key id and secret access key. */
		CREDENTIALS

	}

	/**
	 * Thrown when a setting is missing and no default chain resolves it. Integrations restate the message in
	 * terms of their own setting names.
	 */
	public static final class MissingSettingException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final Setting setting;

		MissingSettingException(Setting setting, String message, Throwable cause) {
			super(message, cause);
			this.setting = setting;
		}

		/**
		 * Return the missing setting.
		 * @return the setting
		 */
		public Setting getSetting() {
			return this.setting;
		}

	}

}
