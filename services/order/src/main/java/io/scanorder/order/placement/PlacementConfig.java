package io.scanorder.order.placement;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Order placement, its idempotency keys, rate limits and live updates: {@code scanorder.placement}.
 */
@ConfigMapping(prefix = "scanorder.placement")
public interface PlacementConfig {

    /** Most lines one order may have. */
    @WithDefault("50")
    int maxLines();

    /** Largest quantity of one line (the schema allows 1-99). */
    @WithDefault("99")
    int maxQuantity();

    /**
     * How long a completed idempotency key is remembered in Redis (the database keeps it forever).
     */
    @WithDefault("PT24H")
    Duration idempotencyTtl();

    /**
     * How long a request waits for a concurrent request with the same key to finish before it falls
     * back to the database's unique constraint.
     */
    @WithDefault("PT5S")
    Duration idempotencyWait();

    /** Ordering rate limits, counted in Redis. */
    RateLimit rateLimit();

    /** Live order updates for diners. */
    Updates updates();

    /** Fixed-window limits on new orders (retries of a placed order are not counted). */
    interface RateLimit {
        /** Length of one counting window. */
        @WithDefault("PT1M")
        Duration window();

        /** New orders allowed per client IP per window. */
        @WithDefault("60")
        int ordersPerIp();

        /** New orders allowed per diner (openid) per window. */
        @WithDefault("10")
        int ordersPerOpenid();
    }

    /** Live order updates (server-sent events). */
    interface Updates {
        /** How often a stream reads the order from the database while Redis pub/sub is down. */
        @WithDefault("PT0.5S")
        Duration pollInterval();
    }
}
