package io.scanorder.operator.model;

import java.util.Map;
import java.util.Set;

/**
 * Settings of the operator itself, read once from its environment (the Helm chart sets them): which
 * images the store services run and how they are pulled.
 *
 * @param orderImage image of the order service, e.g. {@code ghcr.io/scanorder/order-service:0.1.0}
 * @param paymentImage image of the payment service
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}
 * @param serviceBrokerUri MQTT URI of the broker inside the cluster that order services dispatch
 *     kitchen tickets through (e.g. {@code tcp://scanorder-broker.scanorder.svc:1883}), or null:
 *     then order services get no broker settings and keep tickets in their outbox
 */
public record OperatorConfig(
        String orderImage, String paymentImage, String imagePullPolicy, String serviceBrokerUri) {
    /** Registry and repository prefix used when no full image is given. */
    public static final String REGISTRY_ENV = "SCANORDER_IMAGE_REGISTRY";

    /** Tag used when no full image is given. */
    public static final String TAG_ENV = "SCANORDER_IMAGE_TAG";

    /** Full order-service image; overrides registry and tag. */
    public static final String ORDER_IMAGE_ENV = "SCANORDER_ORDER_IMAGE";

    /** Full payment-service image; overrides registry and tag. */
    public static final String PAYMENT_IMAGE_ENV = "SCANORDER_PAYMENT_IMAGE";

    /** Pull policy of both services. */
    public static final String PULL_POLICY_ENV = "SCANORDER_IMAGE_PULL_POLICY";

    /** In-cluster broker URI the order services connect to (not the devices' address). */
    public static final String SERVICE_BROKER_URI_ENV = "SCANORDER_SERVICE_BROKER_URI";

    static final String DEFAULT_REGISTRY = "ghcr.io/scanorder";
    static final String DEFAULT_TAG = "0.1.0";
    static final String DEFAULT_PULL_POLICY = "IfNotPresent";
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    public OperatorConfig {
        requireText(orderImage, ORDER_IMAGE_ENV);
        requireText(paymentImage, PAYMENT_IMAGE_ENV);
        if (!PULL_POLICIES.contains(imagePullPolicy)) {
            throw new IllegalArgumentException(
                    PULL_POLICY_ENV
                            + " must be one of Always, IfNotPresent, Never, was '"
                            + imagePullPolicy
                            + "'");
        }
        if (serviceBrokerUri != null
                && !serviceBrokerUri.matches("^(tcp|ssl)://[^\\s/:]+(:\\d{1,5})?$")) {
            throw new IllegalArgumentException(
                    SERVICE_BROKER_URI_ENV
                            + " must be tcp://host:port or ssl://host:port, was '"
                            + serviceBrokerUri
                            + "'");
        }
    }

    /** Images and pull policy only, no broker for the order services. */
    public OperatorConfig(String orderImage, String paymentImage, String imagePullPolicy) {
        this(orderImage, paymentImage, imagePullPolicy, null);
    }

    /** Reads the configuration from environment variables, defaulting what is not set. */
    public static OperatorConfig fromEnv(Map<String, String> env) {
        String registry = env.getOrDefault(REGISTRY_ENV, DEFAULT_REGISTRY);
        String tag = env.getOrDefault(TAG_ENV, DEFAULT_TAG);
        return new OperatorConfig(
                env.getOrDefault(ORDER_IMAGE_ENV, registry + "/order-service:" + tag),
                env.getOrDefault(PAYMENT_IMAGE_ENV, registry + "/payment-service:" + tag),
                env.getOrDefault(PULL_POLICY_ENV, DEFAULT_PULL_POLICY),
                blankToNull(env.get(SERVICE_BROKER_URI_ENV)));
    }

    /** The defaults, as if no variable were set. */
    public static OperatorConfig defaults() {
        return fromEnv(Map.of());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void requireText(String value, String env) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(env + " must not be blank");
        }
    }
}
