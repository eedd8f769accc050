package io.scanorder.order.placement;

import io.quarkus.redis.datasource.RedisDataSource;
import io.scanorder.order.redis.RedisHealth;
import io.scanorder.order.state.OrderView;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live best-seller ranking per store and business day: a Redis sorted set scored by quantities
 * sold, incremented after each placement commits. The ranking is best-effort (a placement made
 * while Redis is down is not counted); orders themselves never depend on it.
 */
@ApplicationScoped
public class BestSellers {
    /**
     * Kept a little longer than one day, so yesterday's ranking can still be read after midnight.
     */
    static final Duration RETENTION = Duration.ofDays(2);

    private final RedisDataSource redis;
    private final RedisHealth health;

    public BestSellers(RedisDataSource redis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
    }

    /** One ranked SKU (or combo) code and the quantity sold. */
    public record Ranked(String code, long count) {}

    static String key(String storeCode, String businessDay) {
        return "scanorder:best-sellers:" + storeCode + ":" + businessDay;
    }

    /** Adds the quantities of a placed order to its store's ranking of the day. */
    void record(String storeCode, String businessDay, List<OrderView.Line> lines) {
        Map<String, Long> bySku = new LinkedHashMap<>();
        lines.forEach(l -> bySku.merge(l.skuCode(), (long) l.quantity(), Long::sum));
        String key = key(storeCode, businessDay);
        try {
            for (Map.Entry<String, Long> e : bySku.entrySet()) {
                redis.execute("ZINCRBY", key, Long.toString(e.getValue()), e.getKey());
            }
            redis.execute("PEXPIRE", key, Long.toString(RETENTION.toMillis()));
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("ZINCRBY best sellers", e);
        }
    }

    /**
     * The top {@code limit} codes of a store's business day, best first; empty when Redis cannot be
     * asked.
     */
    Optional<List<Ranked>> top(String storeCode, String businessDay, int limit) {
        try {
            Response r =
                    redis.execute(
                            "ZREVRANGE",
                            key(storeCode, businessDay),
                            "0",
                            Integer.toString(limit - 1),
                            "WITHSCORES");
            health.succeeded();
            List<Ranked> ranked = new ArrayList<>();
            if (r != null) {
                // RESP2 answers a flat list (member, score, ...); RESP3 a list of pairs.
                boolean pairs = r.size() > 0 && r.get(0).type() == ResponseType.MULTI;
                int step = pairs ? 1 : 2;
                for (int i = 0; i + step - 1 < r.size(); i += step) {
                    Response member = pairs ? r.get(i).get(0) : r.get(i);
                    Response score = pairs ? r.get(i).get(1) : r.get(i + 1);
                    ranked.add(
                            new Ranked(
                                    member.toString(),
                                    Math.round(Double.parseDouble(score.toString()))));
                }
            }
            return Optional.of(ranked);
        } catch (RuntimeException e) {
            health.failed("ZREVRANGE best sellers", e);
            return Optional.empty();
        }
    }
}
