package io.scanorder.crds.v1alpha1;

/** Names of the condition types the ScanOrder resources report. */
public final class ConditionType {
    /** Summary condition of a Store or KitchenDevice: True when every other condition is True. */
    public static final String READY = "Ready";

    /** Store: the store ConfigMap read by the services is up to date. */
    public static final String CONFIG_READY = "ConfigReady";

    /** Store: the order service for the store is available. */
    public static final String ORDER_SERVICE_READY = "OrderServiceReady";

    /** Store: the payment service for the store is available. */
    public static final String PAYMENT_SERVICE_READY = "PaymentServiceReady";

    /** Store: the referenced Menu is published to the order service. */
    public static final String MENU_PUBLISHED = "MenuPublished";

    /** Store: every kitchen station has a healthy device. */
    public static final String DEVICES_HEALTHY = "DevicesHealthy";

    /** Menu: the menu passed validation; the message names the first invalid field. */
    public static final String VALID = "Valid";

    /** Menu: the current revision is published to the order service. */
    public static final String PUBLISHED = "Published";

    private ConditionType() {}
}
