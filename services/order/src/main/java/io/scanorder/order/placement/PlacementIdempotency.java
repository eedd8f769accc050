package io.scanorder.order.placement;

import io.quarkus.redis.datasource.RedisDataSource;
import io.scanorder.order.redis.RedisHealth;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * The Redis side of placement idempotency: the first request with a key claims it with {@code SET
 * NX} ("fingerprint" while placing, "fingerprint order-id" once placed), so repeats are answered
 * without touching the database and concurrent repeats wait for the first instead of all racing
 * into it. Redis is only a fast path: the database's {@code orders_idempotency_uq} decides, so
 * every outcome here that is not certain ({@link Claim#UNKNOWN}) falls through to it.
 */
@ApplicationScoped
public class PlacementIdempotency {
    private static final Duration PENDING_TTL = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    private final RedisDataSource redis;
    private final RedisHealth health;
    private final Duration ttl;
    private final Duration wait;

    public PlacementIdempotency(RedisDataSource redis, RedisHealth health, PlacementConfig config) {
        this.redis = redis;
        this.health = health;
        this.ttl = config.idempotencyTtl();
        this.wait = config.idempotencyWait();
    }

    /** What Redis says about a key. */
    sealed interface Claim {
        /** This request owns the key and must place the order (and then complete or release). */
        Claim OWNED = new Owned();

        /** Redis could not tell (down, or the first request took too long): ask the database. */
        Claim UNKNOWN = new Unknown();

        /** Marker type of {@link #OWNED}. */
        record Owned() implements Claim {}

        /** Marker type of {@link #UNKNOWN}. */
        record Unknown() implements Claim {}

        /** The key already placed this order with the same request. */
        record Placed(UUID orderId) implements Claim {}
    }

    static String key(String storeCode, String idempotencyKey) {
        return "scanorder:idem:order:" + storeCode + ":" + idempotencyKey;
    }

    /**
     * Claims {@code idempotencyKey} for a request with {@code fingerprint}.
     *
     * @throws PlacementRefusedException {@code IDEMPOTENCY_KEY_REUSED} when the key is held by a
     *     different request
     */
    Claim claim(String storeCode, String idempotencyKey, String fingerprint) {
        String key = key(storeCode, idempotencyKey);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Response set =
                    redis.execute(
                            "SET",
                            key,
                            fingerprint,
                            "NX",
                            "PX",
                            Long.toString(PENDING_TTL.toMillis()));
            health.succeeded();
            if (set != null && "OK".equals(set.toString())) {
                return Claim.OWNED;
            }
            while (true) {
                Response current = redis.execute("GET", key);
                if (current == null) {
                    // The holder gave up (its placement failed): let the database decide.
                    return Claim.UNKNOWN;
                }
                String[] parts = current.toString().split(" ", 2);
                if (!parts[0].equals(fingerprint)) {
                    throw reused(idempotencyKey);
                }
                if (parts.length == 2) {
                    return new Claim.Placed(UUID.fromString(parts[1]));
                }
                if (System.nanoTime() > deadline) {
                    return Claim.UNKNOWN;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Claim.UNKNOWN;
        } catch (PlacementRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            health.failed("SET NX idempotency key", e);
            return Claim.UNKNOWN;
        }
    }

    /** Records the placed order under the key (after commit), for {@code idempotency-ttl}. */
    void complete(String storeCode, String idempotencyKey, String fingerprint, UUID orderId) {
        try {
            redis.execute(
                    "SET",
                    key(storeCode, idempotencyKey),
                    fingerprint + " " + orderId,
                    "PX",
                    Long.toString(ttl.toMillis()));
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("SET idempotency key", e);
        }
    }

    /** Frees a key whose placement failed, so a corrected retry is not refused as a reuse. */
    void release(String storeCode, String idempotencyKey, String fingerprint) {
        try {
            // Only our own pending claim: never a completed entry or another request's claim.
            redis.execute(
                    "EVAL",
                    "if redis.call('GET', KEYS[1]) == ARGV[1] then"
                            + " return redis.call('DEL', KEYS[1]) end return 0",
                    "1",
                    key(storeCode, idempotencyKey),
                    fingerprint);
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("DEL idempotency key", e);
        }
    }

    static PlacementRefusedException reused(String idempotencyKey) {
        return new PlacementRefusedException(
                PlacementRefusedException.Reason.IDEMPOTENCY_KEY_REUSED,
                "Idempotency-Key '"
                        + idempotencyKey
                        + "' was already used for a different order request (other lines,"
                        + " table, remark, party size or diner); use a new key for a new order");
    }
}
