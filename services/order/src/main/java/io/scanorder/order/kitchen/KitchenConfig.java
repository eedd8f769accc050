package io.scanorder.order.kitchen;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Kitchen dispatch settings, under {@code scanorder.kitchen}. */
@ConfigMapping(prefix = "scanorder.kitchen")
public interface KitchenConfig {

    /** The broker connection; dispatch is off when {@code uri} is not set. */
    Mqtt mqtt();

    /** Outbox polling, retries and device health checks. */
    Dispatch dispatch();

    /** The pickup LED boards. */
    Display display();

    /** Device settings pushed on the config topics. */
    ConfigPush configPush();

    /** How device heartbeats are written and silent devices marked offline. */
    Health health();

    /** Device health writes (see {@link HeartbeatWriter} and {@link DeviceHealthUpdates}). */
    interface Health {
        /**
         * Devices whose heartbeat may wait to be written at once (one waiting heartbeat per device;
         * a newer one replaces it). Beyond this, heartbeats of further devices are dropped and
         * counted until the writer catches up. Keep it above the number of devices.
         */
        @WithDefault("50000")
        int heartbeatQueueCapacity();

        /** Heartbeats written per statement (and transaction). */
        @WithDefault("500")
        int heartbeatBatchSize();

        /** Silent devices marked offline per transaction by the offline sweep. */
        @WithDefault("50")
        int offlineBatchSize();
    }

    /** What the pickup LED boards show (see {@link PickupDisplay}). */
    interface Display {
        /** How many READY pickup numbers a board shows, newest first (1 to 20). */
        @WithDefault("6")
        int readyNumbers();

        /**
         * How often each board's list is compared with the database and published again if it
         * differs from what this replica last published.
         */
        @WithDefault("PT30S")
        Duration refreshInterval();
    }

    /** Config push (see {@link DeviceConfigPush}). */
    interface ConfigPush {
        /**
         * How often every device's config document is compared with the database and published
         * again if it differs from what this replica last published.
         */
        @WithDefault("PT60S")
        Duration refreshInterval();
    }

    /** MQTT connection of the order service (a broker service account). */
    interface Mqtt {
        /**
         * Broker URI, e.g. {@code tcp://broker:1883} or {@code ssl://...}; unset disables dispatch.
         */
        Optional<String> uri();

        /** Service account name; the client id is {@code <username>-<random suffix>}. */
        @WithDefault("order-service")
        String username();

        /** Service account password. */
        Optional<String> password();

        /** MQTT message expiry of a published ticket (the broker drops it after this). */
        @WithDefault("PT30M")
        Duration ticketExpiry();
    }

    /** Dispatcher timing. */
    interface Dispatch {
        /** How often the outbox is polled for due rows. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /** Rows claimed per poll. */
        @WithDefault("50")
        int batchSize();

        /** How long a claimed row belongs to this replica before another may take it. */
        @WithDefault("PT30S")
        Duration lease();

        /** Wait for an ack after the first publish before publishing again; doubles per try. */
        @WithDefault("PT10S")
        Duration retryInitial();

        /** Longest wait between two publishes of one ticket. */
        @WithDefault("PT2M")
        Duration retryMax();

        /**
         * Wait before trying a ticket again whose publish failed (not connected, no PUBACK in
         * time); doubles per consecutive failure of that ticket up to {@link #publishRetryMax()}.
         */
        @WithDefault("PT0.2S")
        Duration publishRetryInitial();

        /** Longest wait before trying a ticket again whose publishes keep failing. */
        @WithDefault("PT5S")
        Duration publishRetryMax();

        /** How often devices are checked for missed heartbeats (3 intervals = offline). */
        @WithDefault("PT1S")
        Duration healthCheckInterval();

        /** How often the device and outbox gauges are re-read from the database. */
        @WithDefault("PT5S")
        Duration metricsRefreshInterval();
    }
}
