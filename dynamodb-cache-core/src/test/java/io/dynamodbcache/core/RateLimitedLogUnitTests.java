package io.dynamodbcache.core;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogUnitTests {

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Logger logger = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { Logger.class }, (proxy, method, args) -> {
				if (method.getName().equals("warn") || method.getName().equals("debug")) {
					this.lines.add(method.getName() + " " + args[0]);
				}
				return null;
			});

	@Test
	void aBurstOfWarningsLogsOneWarnAndTheRestAtDebug() {
		RateLimitedLog log = new RateLimitedLog(this.logger);

		for (int i = 0; i < 100; i++) {
			log.warn("Evicting undecodable entry '{}'", "k" + i);
		}

		assertThat(this.lines).hasSize(100);
		assertThat(this.lines.stream().filter((line) -> line.startsWith("warn"))).hasSize(1);
		assertThat(this.lines.get(0)).isEqualTo("warn Evicting undecodable entry '{}'");
	}

}
