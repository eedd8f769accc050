package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Store;
import java.time.Duration;
import java.util.Map;

/**
 * How the operator reaches a store's order service over gRPC and how often it looks again, read
 * once from its environment (the Helm chart sets them).
 *
 * @param targetOverride {@code host:port} used for every store instead of the store's order Service
 *     (local mode and tests), or null
 * @param menuResync how often a published menu and a store's areas and tables are compared with
 *     what the service holds (StoreReconciler uses it too), so a service that restarted empty gets
 *     it again
 * @param deviceResync how often device health is read from the order service into the status
 * @param retryInitial first delay after the order service could not be reached
 * @param retryMax longest delay between attempts while it stays unreachable
 * @param callTimeout deadline of one gRPC call
 */
public record OrderServiceLink(
        String targetOverride,
        Duration menuResync,
        Duration deviceResync,
        Duration retryInitial,
        Duration retryMax,
        Duration callTimeout) {
    /** {@code host:port} of the order service gRPC API for every store (else per store). */
    public static final String TARGET_ENV = "SCANORDER_ORDER_GRPC_TARGET";

    /** Seconds between menu comparisons with the order service. */
    public static final String MENU_RESYNC_ENV = "SCANORDER_MENU_RESYNC_SECONDS";

    /** Seconds between device health reads. */
    public static final String DEVICE_RESYNC_ENV = "SCANORDER_DEVICE_RESYNC_SECONDS";

    /** Longest retry delay in seconds while an order service is unreachable. */
    public static final String RETRY_MAX_ENV = "SCANORDER_ORDER_GRPC_RETRY_MAX_SECONDS";

    public OrderServiceLink {
        positive(menuResync, MENU_RESYNC_ENV);
        positive(deviceResync, DEVICE_RESYNC_ENV);
        positive(retryInitial, "retryInitial");
        positive(retryMax, RETRY_MAX_ENV);
        positive(callTimeout, "callTimeout");
        if (targetOverride != null && !targetOverride.matches("[^\\s:]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException(
                    TARGET_ENV + " must be host:port, was '" + targetOverride + "'");
        }
    }

    /** Reads the settings from environment variables, defaulting what is not set. */
    public static OrderServiceLink fromEnv(Map<String, String> env) {
        String target = env.get(TARGET_ENV);
        return new OrderServiceLink(
                target == null || target.isBlank() ? null : target.strip(),
                seconds(env, MENU_RESYNC_ENV, 60),
                seconds(env, DEVICE_RESYNC_ENV, 30),
                Duration.ofSeconds(1),
                seconds(env, RETRY_MAX_ENV, 60),
                Duration.ofSeconds(5));
    }

    /** The defaults, as if no variable were set. */
    public static OrderServiceLink defaults() {
        return fromEnv(Map.of());
    }

    /** {@code host:port} of the store's order service gRPC API: its Service, port 9000. */
    public String target(Store store) {
        return targetOverride != null
                ? targetOverride
                : StoreService.ORDER.host(store) + ":" + StoreService.GRPC_PORT;
    }

    /** Delay before attempt {@code failures + 1}: doubling from retryInitial up to retryMax. */
    public Duration backoff(int failures) {
        Duration delay = retryInitial;
        for (int i = 1; i < failures && delay.compareTo(retryMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }

    private static Duration seconds(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(fallback);
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a whole number of seconds, was '" + value + "'", e);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
