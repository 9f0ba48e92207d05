package io.dynamodbcache.sample;

import java.util.Map;
import java.util.UUID;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Session-like tokens in the "sessions" cache, which expires entries after a short idle time (see
 * application.yml): using the Cache API directly, without annotations.
 */
@RestController
class SessionController {

	private final Cache sessions;

	SessionController(CacheManager cacheManager) {
		this.sessions = cacheManager.getCache("sessions");
	}

	@PostMapping("/sessions")
	ResponseEntity<Session> create(@RequestParam String user) {
		Session session = new Session(UUID.randomUUID().toString(), user);
		this.sessions.put(session.token(), session);
		return ResponseEntity.status(HttpStatus.CREATED).body(session);
	}

	@GetMapping("/sessions/{token}")
	ResponseEntity<Object> get(@PathVariable String token) {
		Session session = this.sessions.get(token, Session.class);
		return (session != null) ? ResponseEntity.ok(session)
				: ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such session (or it expired)"));
	}

	@DeleteMapping("/sessions/{token}")
	Map<String, Object> delete(@PathVariable String token) {
		return Map.of("deleted", this.sessions.evictIfPresent(token));
	}

	/**
	 * A session.
	 *
	 * @param token the session token
	 * @param user the user it belongs to
	 */
	record Session(String token, String user) {
	}

}
