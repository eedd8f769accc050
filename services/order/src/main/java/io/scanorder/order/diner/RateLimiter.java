package io.scanorder.order.diner;

import io.quarkus.redis.datasource.RedisDataSource;
import io.scanorder.order.redis.RedisHealth;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Fixed-window rate limits counted in Redis. One Lua script increments the window's counter and
 * sets its expiry atomically, so a counter can never be left without a TTL. While Redis is down
 * every request is let through (ordering matters more than limiting) and {@link RedisHealth} is
 * flagged.
 */
@ApplicationScoped
public class RateLimiter {
    private static final String SCRIPT =
            "local n = redis.call('INCR', KEYS[1])\n"
                    + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end\n"
                    + "local ttl = redis.call('PTTL', KEYS[1])\n"
                    + "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = ARGV[1] end\n"
                    + "return {n, ttl}";

    private final RedisDataSource redis;
    private final RedisHealth health;

    public RateLimiter(RedisDataSource redis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
    }

    /** The outcome of one counted request. */
    public record Decision(boolean allowed, long count, long retryAfterSeconds, boolean degraded) {}

    /**
     * Counts one request of {@code subject} in {@code scope}; refused once more than {@code limit}
     * were counted in the current window.
     */
    public Decision acquire(String scope, String subject, int limit, Duration window) {
        String key = "scanorder:rl:" + scope + ":" + subject;
        try {
            Response reply =
                    redis.execute("EVAL", SCRIPT, "1", key, Long.toString(window.toMillis()));
            health.succeeded();
            long count = reply.get(0).toLong();
            long ttlMillis = Long.parseLong(reply.get(1).toString());
            long retryAfter = Math.max(1, (ttlMillis + 999) / 1000);
            return new Decision(count <= limit, count, count <= limit ? 0 : retryAfter, false);
        } catch (RuntimeException e) {
            health.failed("rate limit " + scope, e);
            return new Decision(true, 0, 0, true);
        }
    }
}
