package io.scanorder.payment.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The notification counters of the metrics contract (docs/operations.md): {@code
 * scanorder_payment_notifications_total{result}}, whose non-{@code accepted} results drive the
 * {@code ScanOrderPaymentNotificationFailures} alert, and {@code
 * scanorder_payment_notifications_duplicate_total} for re-sent notifications that changed nothing
 * (counted as {@code accepted} too: acknowledging them is correct, not a failure).
 */
@Singleton
public class NotificationMetrics {
    /** The contract's {@code result} label values. */
    public enum Result {
        ACCEPTED,
        BAD_SIGNATURE,
        DECRYPT_FAILED,
        UNKNOWN_ORDER,
        /** Service-provider mode: verified, but for another sub-merchant (or provider). */
        FOREIGN_MERCHANT,
        ERROR
    }

    private final Map<Result, Counter> results = new EnumMap<>(Result.class);
    private final Counter duplicates;

    NotificationMetrics(MeterRegistry registry) {
        for (Result result : Result.values()) {
            // Registered up front so every series exists at 0 and increase() sees the first one.
            results.put(
                    result,
                    Counter.builder("scanorder.payment.notifications")
                            .description("WeChat Pay notifications received, by outcome")
                            .tag("result", result.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        duplicates =
                Counter.builder("scanorder.payment.notifications.duplicate")
                        .description("Re-sent WeChat Pay notifications that changed nothing")
                        .register(registry);
    }

    public void count(Result result) {
        results.get(result).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }
}
