package io.scanorder.order.diner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Duration;
import java.util.Optional;

/**
 * Opaque diner sessions in Redis, one key per token with the session's TTL. The stored entry holds
 * the WeChat session key, which is why it stays on the server. Redis failures are thrown to the
 * caller, which decides how to degrade.
 */
class SessionStore {
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final ValueCommands<String, String> values;

    SessionStore(RedisDataSource redis) {
        this.values = redis.value(String.class);
    }

    /** What the server keeps about a session. */
    record Entry(
            String openid,
            String unionid,
            String sessionKey,
            String tableScene,
            long expiresAtEpochSecond) {}

    static String key(String token) {
        return "scanorder:session:" + token;
    }

    void put(String token, Entry entry, Duration ttl) {
        values.set(key(token), write(entry), new SetArgs().ex(ttl));
    }

    Optional<Entry> get(String token) {
        return Optional.ofNullable(values.get(key(token))).map(SessionStore::read);
    }

    private static String write(Entry entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session entry could not be written", e);
        }
    }

    private static Entry read(String json) {
        try {
            return JSON.readValue(json, Entry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored session could not be read", e);
        }
    }
}
