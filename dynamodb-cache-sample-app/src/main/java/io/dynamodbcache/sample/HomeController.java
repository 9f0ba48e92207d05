package io.dynamodbcache.sample;

import io.dynamodbcache.spring.cache.CacheStatistics;
import io.dynamodbcache.spring.cache.DynamoDbCache;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A plain HTML page of the caches, their entry counts (counted in DynamoDB) and this node's statistics.
 */
@RestController
class HomeController {

	private final CacheManager cacheManager;

	HomeController(CacheManager cacheManager) {
		this.cacheManager = cacheManager;
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String home() {
		StringBuilder html = new StringBuilder("""
				<!DOCTYPE html>
				<html><head><meta charset="utf-8"><title>dynamodb-cache sample</title>
				<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;border-bottom:1px solid #ddd;text-align:right}
				th:first-child,td:first-child{text-align:left}</style></head><body>
				<h1>dynamodb-cache sample</h1>
				<table><tr><th>cache</th><th>entries</th><th>hits</th><th>misses</th><th>puts</th><th>evictions</th><th>failures</th></tr>
				""");
		for (String name : this.cacheManager.getCacheNames().stream().sorted().toList()) {
			Cache cache = this.cacheManager.getCache(name);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			if (cache instanceof DynamoDbCache dynamoDbCache) {
				CacheStatistics statistics = dynamoDbCache.getStatistics();
				html.append("<tr><td>")
					.append(HtmlUtils.htmlEscape(name))
					.append("</td><td>")
					.append(dynamoDbCache.estimatedSize())
					.append("</td><td>")
					.append(statistics.getHits())
					.append("</td><td>")
					.append(statistics.getMisses())
					.append("</td><td>")
					.append(statistics.getPuts())
					.append("</td><td>")
					.append(statistics.getEvictions())
					.append("</td><td>")
					.append(statistics.getFailures())
					.append("</td></tr>\n");
			}
		}
		html.append("""
				</table>
				<p>Try <code>curl localhost:8080/books/978-0441013593</code> twice, then reload this page.
				Health: <a href="/actuator/health">/actuator/health</a>, metrics:
				<a href="/actuator/metrics/cache.gets">/actuator/metrics/cache.gets</a>.</p>
				</body></html>
				""");
		return html.toString();
	}

}
