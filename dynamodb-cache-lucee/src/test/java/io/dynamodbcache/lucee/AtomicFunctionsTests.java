package io.dynamodbcache.lucee;

import java.util.concurrent.atomic.AtomicInteger;

import io.dynamodbcache.testsupport.DynamoDbLocal;
import io.dynamodbcache.testsupport.FaultProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The extension's atomic functions ({@code DynamoDBCacheIncrement}, {@code DynamoDBCacheAdd},
 * {@code DynamoDBCacheDeleteIfValue}), called from CFML in a real Lucee engine against DynamoDB Local, raced
 * by 8 cfthreads. The rate limiter and the lock are the README's, as written there.
 */
class AtomicFunctionsTests {

	/** The README's rate limiter: a fixed window per client, whatever the number of servers. */
	static final String RATE_LIMITER = ReadmeCode.blockAfter("A rate limiter (a limit of N");

	/** The README's lock: taken by one request at a time, released by its owner only, ends by itself. */
	static final String LOCK = ReadmeCode.blockAfter("A lock that one request holds at a time");

	private static final AtomicInteger CONNECTIONS = new AtomicInteger();

	private String cache;

	@BeforeEach
	void newCacheConnection() {
		this.cache = "atomic" + CONNECTIONS.incrementAndGet();
	}

	private Object cfml(String script) {
		// A generous time budget: these tests race threads on a busy machine, they do not test time limits.
		return LuceeEngine.evalWithCache("dynamodbAtomicFunctions", this.cache,
				LuceeEngine.customSettings("lucee-atomic", "liveTimeout: 10000"), script.replace("\"dynamo\"", "\"" + this.cache + "\""));
	}

	@Test
	void aLimitOfTwentyAdmitsExactlyTwentyOfFortyConcurrentRequests() {
		Object result = cfml(LuceeEngine.JOIN_THREADS + RATE_LIMITER + """
				names = [];
				for (t = 1; t <= 8; t++) {
					name = "limiter" & t & "_" & createUUID();
					arrayAppend(names, name);
					thread name=name action="run" {
						thread.admitted = 0;
						for (i = 1; i <= 5; i++) {
							if (allowRequest("client-1", 20, 60)) {
								thread.admitted++;
							}
						}
					}
				}
				joinThreads(names);
				admitted = 0;
				for (name in names) {
					admitted += cfthread[name].admitted;
				}
				return admitted & "|" & cacheGet(id="ratelimit_" & hash("client-1"), cacheName="dynamo");
				""");

		assertThat(result).isEqualTo("20|40");
	}

	@Test
	void aCounterStartsAgainWhenItsWindowEnds() {
		Object result = cfml("""
				first = DynamoDBCacheIncrement(id="window", timeSpan=createTimeSpan(0,0,0,1), cacheName="dynamo");
				second = DynamoDBCacheIncrement(id="window", by=4, cacheName="dynamo");
				sleep(1300);
				return first & "|" & second & "|" & DynamoDBCacheIncrement("window", 1, createTimeSpan(0,0,0,1), "dynamo");
				""");

		assertThat(result).isEqualTo("1|5|1");
	}

	@Test
	void incrementingAKeyThatHoldsAnotherValueIsAnErrorThatKeepsTheValue() {
		// Found by the RamCache comparison (issue 20): the string was silently replaced by a counter at 1.
		Object result = cfml("""
				cachePut(id="greeting", value="hello", cacheName="dynamo");
				try {
					DynamoDBCacheIncrement(id="greeting", cacheName="dynamo");
					message = "no error";
				}
				catch (any e) {
					message = e.message;
				}
				return cacheGet(id="greeting", cacheName="dynamo") & "|" & message;
				""");

		assertThat(result).asString().startsWith("hello|").contains("not a counter");
	}

	@Test
	void eachRoundOfEightConcurrentRequestsHasExactlyOneLockHolder() {
		Object result = cfml(LuceeEngine.JOIN_THREADS + LOCK + """
				rounds = [];
				for (round = 1; round <= 5; round++) {
					names = [];
					for (t = 1; t <= 8; t++) {
						name = "locker" & round & "_" & t & "_" & createUUID();
						arrayAppend(names, name);
						thread name=name action="run" {
							thread.token = acquireLock("report");
							if (len(thread.token)) {
								sleep(50);
							}
						}
					}
					joinThreads(names);
					holders = [];
					losers = [];
					for (name in names) {
						arrayAppend(len(cfthread[name].token) ? holders : losers, cfthread[name].token);
					}
					// A request that does not hold the lock cannot release it; its holder can, once.
					arrayAppend(rounds, arrayLen(holders) & ":" & releaseLock("report", createUUID())
						& ":" & releaseLock("report", holders[1]) & ":" & releaseLock("report", holders[1]));
				}
				return arrayToList(rounds, "|");
				""");

		assertThat(result).isEqualTo("1:false:true:false|1:false:true:false|1:false:true:false|1:false:true:false"
				+ "|1:false:true:false");
	}

	@Test
	void aLockEndsByItselfAndItsFormerOwnerCannotReleaseItsSuccessor() {
		Object result = cfml(LOCK + """
				first = acquireLock("job", 1);
				blocked = acquireLock("job", 1);
				sleep(1300);
				second = acquireLock("job", 30);
				return len(first) & "|" & len(blocked) & "|" & len(second) & "|" & releaseLock("job", first)
					& "|" & releaseLock("job", second);
				""");

		assertThat(result).isEqualTo("35|0|35|false|true");
	}

	@Test
	void addStoresAValueThatCacheGetReads() {
		Object result = cfml("""
				added = DynamoDBCacheAdd("profile", { "name": "Ann" }, 0, "dynamo");
				again = DynamoDBCacheAdd("Profile", { "name": "Bob" }, 0, "dynamo");
				return added & "|" & again & "|" & cacheGet(id="PROFILE", cacheName="dynamo").name;
				""");

		assertThat(result).isEqualTo("true|false|Ann");
	}

	@Test
	void whenDynamoDbDoesNotAnswerTheFunctionsFailWithinTheTimeBudgetInsteadOfGuessing() {
		try (FaultProxy proxy = FaultProxy.start(DynamoDbLocal.shared().endpoint())) {
			String custom = "{ host: \"" + proxy.endpoint() + "\", accessKeyId: \"dynamodbcache\", "
					+ "secretkey: \"local\", tableName: \"lucee-atomic-fault\", liveTimeout: 900 }";
			String script = """
					start = getTickCount();
					try {
						FUNCTION;
						return "no error";
					}
					catch (any e) {
						return (getTickCount() - start) & "|" & e.message;
					}
					""";
			assertThat(LuceeEngine.evalWithCache("dynamodbAtomicFault", this.cache, custom,
					"return DynamoDBCacheAdd(\"warm\", 1, 0, \"" + this.cache + "\");")).isEqualTo(true);
			proxy.blackHole();

			for (String function : new String[] { "DynamoDBCacheIncrement(\"n\", 1, 0, \"" + this.cache + "\")",
					"DynamoDBCacheAdd(\"lock\", \"token\", 0, \"" + this.cache + "\")",
					"DynamoDBCacheDeleteIfValue(\"lock\", \"token\", \"" + this.cache + "\")" }) {
				String[] outcome = String.valueOf(LuceeEngine.evalWithCache("dynamodbAtomicFault", this.cache, custom,
						script.replace("FUNCTION", function))).split("\\|", 2);
				assertThat(outcome).as(function).hasSize(2);
				assertThat(Long.parseLong(outcome[0])).as(function).isLessThan(3000);
				assertThat(outcome[1]).as(function).contains("so it cannot tell the outcome")
					.contains("lucee-atomic-fault");
			}
		}
	}

	@Test
	void aCacheThatIsNotDynamoDbIsAClearError() {
		assertThatExceptionOfType(LuceeEngine.CfmlException.class)
			.isThrownBy(() -> LuceeEngine.eval("""
					application name="dynamodbAtomicRam" caches={ "ram": { class: "lucee.runtime.cache.ram.RamCache",
						custom: {}, default: "" } };
					DynamoDBCacheIncrement(id="x", cacheName="ram");
					"""))
			.withMessageContaining("DynamoDBCacheIncrement needs a DynamoDB cache")
			.withMessageContaining("lucee.runtime.cache.ram.RamCache");
	}

}
