package io.scanorder.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of the order service, under {@code scanorder.order}. */
@ConfigMapping(prefix = "scanorder.order")
public interface OrderServiceConfig {

    /** How SERIALIZABLE transactions are retried on SQLSTATE 40001. */
    TransactionSettings transactions();

    /** How the service checks its dependencies for the gRPC health service. */
    HealthSettings health();

    /** Retry policy for serialization failures. */
    interface TransactionSettings {
        /** Attempts in total, including the first; at least 1. */
        @WithDefault("6")
        int maxAttempts();

        /** Backoff before the first retry; doubles per retry (with jitter). */
        @WithDefault("PT0.02S")
        Duration initialBackoff();

        /** Upper bound of a single backoff. */
        @WithDefault("PT1S")
        Duration maxBackoff();
    }

    /** Dependency checks. */
    interface HealthSettings {
        /** How often the database is probed to set the gRPC serving status. */
        @WithDefault("PT2S")
        Duration databaseCheckInterval();
    }
}
