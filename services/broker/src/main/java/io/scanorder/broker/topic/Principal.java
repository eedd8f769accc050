package io.scanorder.broker.topic;

import java.util.Objects;

/**
 * An authenticated MQTT user: either one kitchen device of one store, or a service account (the
 * order service) that may see every store's device topics.
 */
public record Principal(String username, Role role, String storeCode) {

    /** What kind of user this is. */
    public enum Role {
        /** A kitchen device; its username is its device id. */
        DEVICE,
        /** A backend service (order-service replicas), allowed under {@code scanorder/#}. */
        SERVICE
    }

    public Principal {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        if (role == Role.DEVICE) {
            if (!DeviceTopics.isValidDeviceId(username)) {
                throw new IllegalArgumentException(
                        "device username must be a valid device id ("
                                + DeviceTopics.DEVICE_ID.pattern()
                                + ") but was '"
                                + username
                                + "'");
            }
            if (!DeviceTopics.isValidStoreCode(storeCode)) {
                throw new IllegalArgumentException(
                        "device '"
                                + username
                                + "' needs a 3-digit store code but has '"
                                + storeCode
                                + "'");
            }
        } else {
            if (!TopicPolicy.SERVICE_NAME.matcher(username).matches()) {
                throw new IllegalArgumentException(
                        "service account name must match "
                                + TopicPolicy.SERVICE_NAME.pattern()
                                + " but was '"
                                + username
                                + "'");
            }
            if (storeCode != null) {
                throw new IllegalArgumentException(
                        "service account '" + username + "' must not have a store code");
            }
        }
    }

    public static Principal device(String storeCode, String deviceId) {
        return new Principal(deviceId, Role.DEVICE, storeCode);
    }

    public static Principal service(String name) {
        return new Principal(name, Role.SERVICE, null);
    }

    /** For devices, the device id (same as the username). */
    public String deviceId() {
        return username;
    }
}
