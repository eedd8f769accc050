package io.scanorder.order.kitchen;

import java.util.Optional;

/**
 * MQTT topic names of kitchen devices, {@code scanorder/{storeCode}/devices/{deviceId}/{channel}}
 * (docs/architecture.md), and the shared subscriptions order-service replicas split.
 */
public final class KitchenTopics {
    /** Channels a device publishes on and the service consumes. */
    public static final String ACKS = "acks";

    public static final String HEARTBEAT = "heartbeat";
    public static final String ALARMS = "alarms";
    public static final String STATUS = "status";

    private KitchenTopics() {}

    /** Where the service publishes tickets for one device. */
    public static String tickets(String storeCode, String deviceId) {
        return "scanorder/" + storeCode + "/devices/" + deviceId + "/tickets";
    }

    /**
     * Where the service publishes, retained, the READY pickup numbers an LED board shows ({@code
     * {"ready":["0042"]}}).
     */
    public static String display(String storeCode, String deviceId) {
        return "scanorder/" + storeCode + "/devices/" + deviceId + "/display";
    }

    /**
     * Where the service publishes, retained, a device's settings ({@link DeviceConfigDocument}); an
     * empty retained message clears them when the device is deregistered.
     */
    public static String config(String storeCode, String deviceId) {
        return "scanorder/" + storeCode + "/devices/" + deviceId + "/config";
    }

    /**
     * Placeholder topic of a ticket no device can take yet; never published to (the dispatcher
     * routes again before every publish).
     */
    static String unrouted(String storeCode, String station) {
        return "scanorder/" + storeCode + "/stations/" + station + "/unrouted";
    }

    /**
     * The shared subscription filter for one device-to-server channel of every store. The group is
     * the service's broker account, which the operator issues per store: the replicas of one
     * store's order service split the messages among themselves, and every store's service gets its
     * own copy. One group for all would hand a store's acks and heartbeats to another store's
     * service, which does not know the device and drops them.
     */
    public static String sharedFilter(String group, String channel) {
        return "$share/" + group + "/scanorder/+/devices/+/" + channel;
    }

    /** Store code, device id and channel of a device topic. */
    public record DeviceTopic(String storeCode, String deviceId, String channel) {}

    /** Parses a device topic; empty for anything else. */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 5
                || !levels[0].equals("scanorder")
                || !levels[1].matches("[0-9]{3}")
                || !levels[2].equals("devices")
                || !levels[3].matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            return Optional.empty();
        }
        return Optional.of(new DeviceTopic(levels[1], levels[3], levels[4]));
    }
}
