package io.dynamodbcache.lucee;

import java.time.Duration;
import java.util.Map;

import io.dynamodbcache.core.RequestBudget;
import lucee.loader.engine.CFMLEngineFactory;
import lucee.runtime.type.Struct;
import lucee.runtime.util.Creation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The connection's custom settings, as Lucee hands them over, including those of Lucee's own extension. */
class LuceeCacheSettingsTests {

	@BeforeAll
	static void bootLucee() {
		LuceeEngine.get();
	}

	@Test
	void theOriginalExtensionsSettingsKeepTheirMeaningExceptTheClientLifetime() {
		// The README's "Coming from Lucee's DynamoDB extension" settings.
		LuceeCacheSettings settings = LuceeCacheSettings.from("dynamodb", struct(Map.of("table", "my_cache_table",
				"region", "us-east-1", "liveTimeout", 3600000, "log", "application")));

		assertThat(settings.tableName()).isEqualTo("my_cache_table");
		assertThat(settings.region()).isEqualTo("us-east-1");
		assertThat(settings.logName()).isEqualTo("application");
		// An hour is the original's client lifetime, not a call's budget: calls keep the default.
		assertThat(settings.requestBudget().apiCallTimeout()).isEqualTo(RequestBudget.DEFAULT.apiCallTimeout());
	}

	@Test
	void aLiveTimeoutWithinTheLimitIsTheCallBudget() {
		LuceeCacheSettings settings = LuceeCacheSettings.from("dynamodb", struct(Map.of("liveTimeout", 2000)));

		assertThat(settings.requestBudget().apiCallTimeout()).isEqualTo(Duration.ofMillis(2000));
		assertThat(LuceeCacheSettings.from("dynamodb", struct(Map.of("liveTimeout", 60_000))).requestBudget()
			.apiCallTimeout()).isEqualTo(RequestBudget.MAX_API_CALL_TIMEOUT);
	}

	@Test
	void theCloseTimeoutIsInSecondsDefaultsToTheStoresAndRefusesANegativeValueNamingTheSetting() {
		assertThat(LuceeCacheSettings.from("dynamodb", struct(Map.of())).closeTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(LuceeCacheSettings.from("dynamodb", struct(Map.of("CLOSETIMEOUT", "2.5"))).closeTimeout())
			.isEqualTo(Duration.ofMillis(2500));
		assertThat(LuceeCacheSettings.from("dynamodb", struct(Map.of("closeTimeout", 0))).closeTimeout()).isZero();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LuceeCacheSettings.from("dynamodb", struct(Map.of("closeTimeout", -1))))
			.withMessage("Cache setting closeTimeout must be zero or more seconds, got -1.0");
	}

	@Test
	void placeholdersAreReplacedBySystemPropertiesThenEnvironmentVariablesOrTheirDefaults() {
		Map.Entry<String, String> variable = System.getenv()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().matches("[A-Z_]+") && entry.getValue().matches("[A-Za-z0-9/._-]+"))
			.findFirst()
			.orElseThrow();
		System.setProperty("dynamodbcache.test.table", "from_a_property");
		try {
			LuceeCacheSettings settings = LuceeCacheSettings.from("dynamodb", struct(Map.of("table",
					"${dynamodbcache.test.table}", "region", "${DYNAMODBCACHE_UNSET_REGION:eu-west-1}", "cacheName",
					"app-${" + variable.getKey() + "}", "shards", "${DYNAMODBCACHE_UNSET_SHARDS:4}")));

			assertThat(settings.tableName()).isEqualTo("from_a_property");
			assertThat(settings.region()).isEqualTo("eu-west-1");
			assertThat(settings.cacheName()).isEqualTo("app-" + variable.getValue());
			assertThat(settings.shards()).isEqualTo(4);
		}
		finally {
			System.clearProperty("dynamodbcache.test.table");
		}
	}

	@Test
	void aPlaceholderThatIsSetNowhereAndHasNoDefaultIsRefusedNamingTheSettingAndThePlaceholder() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LuceeCacheSettings.from("dynamodb",
					struct(Map.of("accessKeyId", "${DYNAMODBCACHE_UNSET_KEY}", "secretkey", "s"))))
			.withMessage("Cache setting accessKeyId refers to ${DYNAMODBCACHE_UNSET_KEY}, which is neither a system "
					+ "property nor an environment variable: set one, or give a default as ${DYNAMODBCACHE_UNSET_KEY:default}");
	}

	private static Struct struct(Map<String, Object> values) {
		Creation creation = CFMLEngineFactory.getInstance().getCreationUtil();
		Struct struct = creation.createStruct();
		values.forEach((key, value) -> struct.setEL(creation.createKey(key), value));
		return struct;
	}

}
