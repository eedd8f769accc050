package io.scanorder.order.diner;

import io.quarkus.redis.datasource.RedisDataSource;
import io.scanorder.order.redis.RedisHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Creates and resolves diner sessions. Normally a session is a random opaque token (32 bytes,
 * base64url) whose entry lives in Redis; while Redis is down it is a signed stateless token (see
 * {@link StatelessTokens}), which carries no WeChat session key and no table.
 */
@ApplicationScoped
public class DinerSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionStore store;
    private final StatelessTokens stateless;
    private final RedisHealth health;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();

    public DinerSessions(RedisDataSource redis, DinerConfig config, RedisHealth health) {
        this.store = new SessionStore(redis);
        this.stateless = new StatelessTokens(decodeKey(config.sessions().signingKey()));
        this.health = health;
        this.ttl = config.sessions().ttl();
    }

    /** A new session and its token. */
    public record Created(String token, DinerSession session) {}

    /** Opens a session for a WeChat login, in Redis or, while Redis is down, stateless. */
    public Created open(WeChatLogin.Login login, String tableScene) {
        Instant expiresAt =
                clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SessionStore.Entry entry =
                new SessionStore.Entry(
                        login.openid(),
                        login.unionid(),
                        login.sessionKey(),
                        tableScene,
                        expiresAt.getEpochSecond());
        try {
            store.put(token, entry, ttl);
            health.succeeded();
            return new Created(
                    token, new DinerSession(login.openid(), tableScene, expiresAt, false));
        } catch (RuntimeException e) {
            health.failed("SET diner session", e);
            return new Created(
                    stateless.sign(login.openid(), expiresAt),
                    new DinerSession(login.openid(), null, expiresAt, true));
        }
    }

    /**
     * The session behind a bearer token.
     *
     * @throws DinerApiException 401 for a missing, unknown, expired or forged token; 503 for an
     *     opaque token while Redis cannot be asked
     */
    public DinerSession resolve(String token) {
        if (token == null || token.isBlank()) {
            throw unauthorized("Authorization: a 'Bearer <session token>' header is required");
        }
        if (token.startsWith(StatelessTokens.PREFIX)) {
            return stateless
                    .verify(token, clock.instant())
                    .map(c -> new DinerSession(c.openid(), null, c.expiresAt(), true))
                    .orElseThrow(
                            () ->
                                    unauthorized(
                                            "Authorization: the session token is expired or not"
                                                    + " valid; log in again"));
        }
        Optional<SessionStore.Entry> entry;
        try {
            entry = store.get(token);
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("GET diner session", e);
            throw new DinerApiException(
                    503,
                    "SESSION_STORE_UNAVAILABLE",
                    "sessions cannot be checked right now; log in again for a new session",
                    1,
                    e);
        }
        return entry.map(
                        x ->
                                new DinerSession(
                                        x.openid(),
                                        x.tableScene(),
                                        Instant.ofEpochSecond(x.expiresAtEpochSecond()),
                                        false))
                .orElseThrow(
                        () ->
                                unauthorized(
                                        "Authorization: the session token is unknown or expired;"
                                                + " log in again"));
    }

    private static DinerApiException unauthorized(String message) {
        return new DinerApiException(401, "SESSION_INVALID", message);
    }

    private static byte[] decodeKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "scanorder.diner.sessions.signing-key is not valid base64", e);
        }
    }
}
