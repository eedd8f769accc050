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

    /** Closing of orders left unpaid, and the orders-by-state gauge. */
    OrderStateSettings orderStates();

    /** Which code the printable table QR sheets carry (io.scanorder.order.table). */
    QrSheetSettings qrSheet();

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

    /** Payment timeout job and order metrics (io.scanorder.order.state). */
    interface OrderStateSettings {
        /**
         * Payment timeout of a store whose {@code stores.order_timeout_seconds} is NULL; a store
         * may set its own (60 s to 24 h).
         */
        @WithDefault("PT15M")
        Duration defaultPaymentTimeout();

        /** How often the job looks for PENDING_PAYMENT orders past their deadline. */
        @WithDefault("PT30S")
        Duration timeoutCheckInterval();

        /** Overdue orders read per batch (each closed in its own transaction); batches repeat. */
        @WithDefault("100")
        int timeoutBatchSize();

        /** How often scanorder_orders{state} is re-counted from the database. */
        @WithDefault("PT15S")
        Duration metricsRefreshInterval();
    }

    /** Table QR sheets. */
    interface QrSheetSettings {
        /**
         * {@code qr}: a plain QR code of the mini-program page and scene, drawn locally (works
         * offline; WeChat opens it only when the app's "scan ordinary QR codes to open the mini
         * program" rule covers it). {@code wxacode}: WeChat's unlimited mini-program code for the
         * table's scene, fetched from {@code getwxacodeunlimit} and cached per scene.
         */
        @WithDefault("qr")
        QrSheetCode code();

        /** The mini-program version a {@code wxacode} opens: release, trial or develop. */
        @WithDefault("release")
        String envVersion();
    }

    /** The kinds of code a table QR sheet can carry. */
    enum QrSheetCode {
        QR,
        WXACODE
    }
}
