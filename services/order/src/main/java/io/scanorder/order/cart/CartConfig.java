package io.scanorder.order.cart;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Shared table carts, under {@code scanorder.cart}. */
@ConfigMapping(prefix = "scanorder.cart")
public interface CartConfig {

    /** How long an untouched cart lives; every change starts it again. */
    @WithDefault("PT4H")
    Duration ttl();

    /** Most lines (distinct SKU + note) one cart may hold. */
    @WithDefault("50")
    int maxLines();

    /** Largest quantity of one line. */
    @WithDefault("99")
    int maxQuantity();

    /** Cart changes (add, set, remove, clear) one diner may make per rate-limit window. */
    @WithDefault("120")
    int changesPerOpenid();

    /** Length of one rate-limit counting window. */
    @WithDefault("PT1M")
    Duration rateLimitWindow();

    /** Interval of SSE comment lines that keep proxies from closing an idle event stream. */
    @WithDefault("PT15S")
    Duration heartbeat();

    /**
     * How often each replica checks its Redis change subscription by sending itself a ping; a
     * subscription that misses pings for three intervals is opened again.
     */
    @WithDefault("PT1S")
    Duration subscriptionCheck();
}
