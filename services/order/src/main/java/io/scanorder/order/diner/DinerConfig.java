package io.scanorder.order.diner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Diner sessions and their rate limits, under {@code scanorder.diner}. */
@ConfigMapping(prefix = "scanorder.diner")
public interface DinerConfig {

    /** Session tokens. */
    Sessions sessions();

    /** Limits on session creation. */
    RateLimit rateLimit();

    /** Session tokens. */
    interface Sessions {
        /** How long a session token is valid. */
        @WithDefault("PT2H")
        Duration ttl();

        /**
         * Base64 HMAC-SHA256 key (at least 32 bytes) signing the stateless tokens handed out while
         * Redis is down. Every replica needs the same key.
         */
        String signingKey();
    }

    /** Fixed-window limits, counted in Redis. */
    interface RateLimit {
        /** Length of one counting window. */
        @WithDefault("PT1M")
        Duration window();

        /** Session creations allowed per client IP per window. */
        @WithDefault("30")
        int loginsPerIp();

        /** Session creations allowed per openid per window. */
        @WithDefault("10")
        int loginsPerOpenid();
    }
}
