package io.dynamodbcache.core;

import java.net.URI;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

}
