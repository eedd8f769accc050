package io.scanorder.order.menu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.scanorder.order.redis.RedisHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Redis cache of menus. Revisions never change, so their content is cached under a key holding the
 * revision hash; a short-lived pointer names each store's current revision and is deleted on
 * publish. The pointer's TTL bounds staleness when a publish could not delete it (Redis away at
 * that moment but keeping its data). Every Redis failure is reported to {@link RedisHealth} and
 * turns into a cache miss, so callers fall back to the database.
 *
 * <p>A reader that loaded the old revision from the database just before a publish may set the
 * pointer again just after the publish deleted it; the pointer's TTL also bounds that window.
 */
@ApplicationScoped
public class MenuCache {
    static final Duration POINTER_TTL = Duration.ofSeconds(30);
    static final Duration REVISION_TTL = Duration.ofHours(6);

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final ValueCommands<String, String> values;
    private final RedisDataSource redis;
    private final RedisHealth health;

    public MenuCache(RedisDataSource redis, RedisHealth health) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.health = health;
    }

    /** Cached form of a revision: content as canonical JSON, publication time in epoch ms. */
    record Entry(String menu, long publishedAtMillis) {}

    static String pointerKey(String storeCode) {
        return "scanorder:menu:" + storeCode + ":current";
    }

    static String revisionKey(String storeCode, String hash) {
        return "scanorder:menu:" + storeCode + ":rev:" + hash;
    }

    /** Hash of the store's current revision, if cached. */
    Optional<String> currentHash(String storeCode) {
        return call("GET menu pointer", () -> values.get(pointerKey(storeCode)));
    }

    /** A cached revision; {@code current} is decided by the caller. */
    Optional<StoredMenu> revision(String storeCode, String hash, boolean current) {
        return call("GET menu revision", () -> values.get(revisionKey(storeCode, hash)))
                .flatMap(MenuCache::read)
                .map(
                        e ->
                                new StoredMenu(
                                        storeCode,
                                        hash,
                                        MenuCanonical.fromJson(e.menu()),
                                        Instant.ofEpochMilli(e.publishedAtMillis()),
                                        current));
    }

    /** Caches a revision and, when it is current, the store's pointer to it. */
    void put(StoredMenu menu) {
        Entry e = new Entry(MenuCanonical.toJson(menu.menu()), menu.publishedAt().toEpochMilli());
        call(
                "SET menu revision",
                () -> {
                    values.set(
                            revisionKey(menu.storeCode(), menu.revisionHash()),
                            write(e),
                            new SetArgs().ex(REVISION_TTL));
                    if (menu.current()) {
                        values.set(
                                pointerKey(menu.storeCode()),
                                menu.revisionHash(),
                                new SetArgs().ex(POINTER_TTL));
                    }
                    return "OK";
                });
    }

    /** Forgets which revision is current; called after a publish commits. */
    void invalidate(String storeCode) {
        call("DEL menu pointer", () -> redis.key().del(pointerKey(storeCode)));
    }

    private <T> Optional<T> call(String operation, Supplier<T> command) {
        try {
            T result = command.get();
            health.succeeded();
            return Optional.ofNullable(result);
        } catch (RuntimeException e) {
            health.failed(operation, e);
            return Optional.empty();
        }
    }

    /**
     * A cached entry, or empty (a miss) when it cannot be read, e.g. written by another version.
     */
    private static Optional<Entry> read(String json) {
        try {
            return Optional.of(JSON.readValue(json, Entry.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String write(Entry e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("menu entry could not be written", ex);
        }
    }
}
