package io.dynamodbcache.core;

import java.net.URI;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClientSettingsUnitTests {

	@Test
	void endpointWithoutRegionGetsUsEast1AndStaticKeys() {
		try (DynamoDbClient client = new ClientSettings(null, URI.create("http://localhost:8000"), "AKIA", "secret")
			.applyTo(DynamoDbClient.builder())
			.build()) {
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
			assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://localhost:8000"));
			assertThat(client.serviceClientConfiguration().credentialsProvider()).isInstanceOf(StaticCredentialsProvider.class);
		}
	}

	@Test
	void explicitRegionWins() {
		try (DynamoDbClient client = new ClientSettings("eu-central-1", URI.create("http://localhost:8000"), null, null)
			.applyTo(DynamoDbClient.builder())
			.build()) {
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
		}
	}

	@Test
	void halfConfiguredKeysAreRefusedAndKeysNeverPrinted() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientSettings("eu-west-1", null, "AKIA", null))
			.withMessageContaining("both an access key id and a secret access key");
		assertThat(new ClientSettings("eu-west-1", null, "AKIAEXAMPLE", "s3cr3t").toString())
			.doesNotContain("AKIAEXAMPLE", "s3cr3t")
			.contains("static");
	}

	@Test
	void aLoopbackEndpointWithoutKeysGetsTheDocumentedDummyKeys() {
		for (String endpoint : new String[] { "http://localhost:8000", "http://LOCALHOST:8000", "http://127.0.0.1:8000",
				"http://127.8.9.10:8000", "http://[::1]:8000" }) {
			ClientSettings settings = new ClientSettings(null, URI.create(endpoint), null, null);
			try (DynamoDbClient client = settings.applyTo(DynamoDbClient.builder()).build()) {
				AwsCredentials credentials = (AwsCredentials) client.serviceClientConfiguration()
					.credentialsProvider()
					.resolveIdentity()
					.join();
				assertThat(credentials.accessKeyId()).as(endpoint).isEqualTo(ClientSettings.LOOPBACK_ACCESS_KEY_ID);
				assertThat(credentials.secretAccessKey()).isEqualTo(ClientSettings.LOOPBACK_SECRET_ACCESS_KEY);
				assertThat(settings.credentialsSource()).isEqualTo("dummy keys for a loopback endpoint");
			}
		}
	}

	@Test
	void onlyLiteralLoopbackHostsCountAsLoopback() {
		assertThat(new ClientSettings(null, URI.create("http://dynamodb.eu-west-1.amazonaws.com"), null, null)
			.isLoopbackEndpoint()).isFalse();
		assertThat(new ClientSettings(null, URI.create("http://10.0.0.5:8000"), null, null).isLoopbackEndpoint())
			.isFalse();
		assertThat(new ClientSettings(null, URI.create("http://localhost.example.com:8000"), null, null)
			.isLoopbackEndpoint()).isFalse();
		assertThat(new ClientSettings("eu-west-1", null, null, null).isLoopbackEndpoint()).isFalse();
	}

	@Test
	void noResolvableRegionIsAMissingSettingNotAnSdkError() {
		assertThatExceptionOfType(ClientSettings.MissingSettingException.class)
			.isThrownBy(() -> new ClientSettings(null, null, null, null).applyTo(DynamoDbClient.builder(), () -> {
				throw SdkClientException.create("Unable to load region from any of the providers in the chain");
			}))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo(ClientSettings.Setting.REGION))
			.withMessageContaining("No AWS region could be resolved");
	}

	@Test
	void aRemoteEndpointWithoutResolvableCredentialsIsAMissingSetting() {
		assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
				&& System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
				&& System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null,
				"this machine has AWS credentials in its environment");
		assertThatExceptionOfType(ClientSettings.MissingSettingException.class)
			.isThrownBy(() -> new ClientSettings("eu-west-1", URI.create("https://dynamodb.example.com"), null, null)
				.applyTo(DynamoDbClient.builder()))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo(ClientSettings.Setting.CREDENTIALS))
			.withMessageContaining("https://dynamodb.example.com");
	}

}
