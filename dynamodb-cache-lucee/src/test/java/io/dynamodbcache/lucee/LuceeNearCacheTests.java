package io.dynamodbcache.lucee;

import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.FaultProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache of a cache connection (custom setting {@code nearCache}), in a real Lucee engine against
 * DynamoDB Local: repeated reads answered without DynamoDB, this server's writes seen at once, and another
 * server's writes (another connection on the same table and cache name) seen through the table's stream.
 */
class LuceeNearCacheTests {

	private static final AtomicInteger CONNECTIONS = new AtomicInteger();

	private final int id = CONNECTIONS.incrementAndGet();

	@Test
	void aRepeatedReadMakesNoRequestAndThisServersWritesAreSeenAtOnce() throws Exception {
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint())) {
			String connection = "near" + this.id;
			String custom = "{ host: \"" + proxy.endpoint() + "\", accessKeyId: \"dynamodbcache\", "
					+ "secretkey: \"local\", tableName: \"lucee-near\", nearCache: true, streamInvalidation: false, "
					+ "nearCacheTimeToLiveSeconds: 600 }";
			String cache = "cacheName=\"" + connection + "\"";
			Object written = LuceeEngine.evalWithCache("nearCacheTests", connection, custom,
					"cachePut(id=\"k\", value={ title: \"Dune\" }, " + cache + "); "
							+ "first = cacheGet(id=\"k\", " + cache + "); "
							+ "cachePut(id=\"k\", value={ title: \"Dune Messiah\" }, " + cache + "); "
							+ "return first.title & \"|\" & cacheGet(id=\"k\", " + cache + ").title;");
			assertThat(written).isEqualTo("Dune|Dune Messiah");
			long requests = proxy.requests();

			proxy.blackHole();
			long start = System.nanoTime();
			Object read = LuceeEngine.evalWithCache("nearCacheTests", connection, custom,
					"a = cacheGet(id=\"k\", " + cache + "); b = cacheGet(id=\"k\", " + cache + "); "
							+ "a.title = \"changed by the caller\"; "
							+ "custom = cacheGetMetadata(id=\"k\", " + cache + ").cache_custom; "
							+ "return b.title & \"|\" & cacheGet(id=\"k\", " + cache + ").title & \"|\" "
							+ "& custom.nearCacheHits & \"|\" & custom.nearCacheMisses;");

			// Hits: the two reads and the metadata's read of the entry. Misses: the first read after each write.
			assertThat(read).as("served from the near cache while DynamoDB does not answer")
				.isEqualTo("Dune Messiah|Dune Messiah|3|2");
			assertThat(System.nanoTime() - start).as("no request waited for its time budget")
				.isLessThan(800_000_000L);
			assertThat(proxy.requests()).isEqualTo(requests);
		}
	}

	@Test
	void anotherServersWriteReachesThisServersNearCacheThroughTheStream() {
		String writer = "nearWriter" + this.id;
		String reader = "nearReader" + this.id;
		String shared = "near-shared-" + this.id;
		// Two connections on one table and cache name stand for two servers.
		String custom = LuceeEngine.customSettings("lucee-near-stream",
				"cacheName: \"" + shared + "\", nearCache: true, nearCacheTimeToLiveSeconds: 600, "
						+ "streamPollInterval: 100, liveTimeout: 10000");
		String application = "application name=\"nearStreamTests\" caches={ \"" + writer
				+ "\": { class: \"io.dynamodbcache.lucee.DynamoDbLuceeCache\", custom: " + custom
				+ ", default: \"\" }, \"" + reader + "\": { class: \"io.dynamodbcache.lucee.DynamoDbLuceeCache\", "
				+ "custom: " + custom + ", default: \"\" } };\n";

		Object seen = LuceeEngine.eval(application + """
				cachePut(id="k", value="one", cacheName="WRITER");
				first = cacheGet(id="k", cacheName="READER");
				cachePut(id="k", value="two", cacheName="WRITER");
				start = getTickCount();
				while (cacheGet(id="k", cacheName="READER") != "two" && getTickCount() - start < 10000) {
					sleep(10);
				}
				replaced = cacheGet(id="k", cacheName="READER");
				cacheRemove(ids="k", cacheName="WRITER");
				start = getTickCount();
				while (!isNull(cacheGet(id="k", cacheName="READER")) && getTickCount() - start < 10000) {
					sleep(10);
				}
				return first & "|" & replaced & "|" & (isNull(cacheGet(id="k", cacheName="READER")) ? "removed" : "still there");
				""".replace("WRITER", writer).replace("READER", reader));

		assertThat(seen).isEqualTo("one|two|removed");
	}

}
