package io.scanorder.broker.topic;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of the per-device MQTT topics, {@code scanorder/{storeCode}/devices/{deviceId}/{channel}},
 * and the strict parser the broker uses to decide whether a topic belongs to a device.
 *
 * <p>Parsing is literal: a topic is a device topic only if it has exactly five non-empty levels,
 * the store code is three digits, the device id matches {@link #DEVICE_ID} and the last level is a
 * known {@link Channel}. Anything else (extra levels such as {@code ..}, wildcards, empty levels)
 * is not a device topic.
 */
public final class DeviceTopics {

    /** First topic level of everything ScanOrder publishes. */
    public static final String ROOT = "scanorder";

    /** Three digits, as {@code Store.spec.storeCode}. */
    public static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");

    /**
     * Device ids are Kubernetes object names or similar: letters, digits, '-' and '_', starting
     * with a letter or digit, at most 64 characters. No '/', '.', '+', '#', '$' or spaces, so a
     * device id can never change the shape of a topic.
     */
    public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** The last level of a device topic, with its direction. */
    public enum Channel {
        TICKETS("tickets", Direction.TO_DEVICE),
        ACKS("acks", Direction.FROM_DEVICE),
        HEARTBEAT("heartbeat", Direction.FROM_DEVICE),
        ALARMS("alarms", Direction.FROM_DEVICE),
        STATUS("status", Direction.FROM_DEVICE),
        CONFIG("config", Direction.TO_DEVICE),
        DISPLAY("display", Direction.TO_DEVICE);

        private final String level;
        private final Direction direction;

        Channel(String level, Direction direction) {
            this.level = level;
            this.direction = direction;
        }

        /** The topic level, e.g. {@code heartbeat}. */
        public String level() {
            return level;
        }

        public Direction direction() {
            return direction;
        }

        /** The channel whose topic level is {@code level}, if any (case-sensitive). */
        public static Optional<Channel> ofLevel(String level) {
            for (Channel c : values()) {
                if (c.level.equals(level)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /** Who publishes on a channel. */
    public enum Direction {
        /** Server publishes, device subscribes. */
        TO_DEVICE,
        /** Device publishes, server subscribes. */
        FROM_DEVICE
    }

    /** A parsed device topic. */
    public record DeviceTopic(String storeCode, String deviceId, Channel channel) {
        @Override
        public String toString() {
            return topic(storeCode, deviceId, channel);
        }
    }

    private DeviceTopics() {}

    /**
     * The topic of {@code channel} for one device.
     *
     * @throws IllegalArgumentException naming the bad value if the store code or device id is not
     *     valid
     */
    public static String topic(String storeCode, String deviceId, Channel channel) {
        requireStoreCode(storeCode);
        requireDeviceId(deviceId);
        return root(storeCode, deviceId) + channel.level();
    }

    /** The topic root of one device, ending with '/'. */
    public static String root(String storeCode, String deviceId) {
        requireStoreCode(storeCode);
        requireDeviceId(deviceId);
        return ROOT + "/" + storeCode + "/devices/" + deviceId + "/";
    }

    /** Parses a concrete topic name (no wildcards) as a device topic. */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        // limit -1 keeps trailing empty levels, so "a/b/" has three levels and fails below
        String[] levels = topic.split("/", -1);
        if (levels.length != 5
                || !ROOT.equals(levels[0])
                || !STORE_CODE.matcher(levels[1]).matches()
                || !"devices".equals(levels[2])
                || !DEVICE_ID.matcher(levels[3]).matches()) {
            return Optional.empty();
        }
        return Channel.ofLevel(levels[4])
                .map(channel -> new DeviceTopic(levels[1], levels[3], channel));
    }

    public static boolean isValidStoreCode(String storeCode) {
        return storeCode != null && STORE_CODE.matcher(storeCode).matches();
    }

    public static boolean isValidDeviceId(String deviceId) {
        return deviceId != null && DEVICE_ID.matcher(deviceId).matches();
    }

    private static void requireStoreCode(String storeCode) {
        if (!isValidStoreCode(storeCode)) {
            throw new IllegalArgumentException(
                    "storeCode must be exactly 3 digits but was '" + storeCode + "'");
        }
    }

    private static void requireDeviceId(String deviceId) {
        if (!isValidDeviceId(deviceId)) {
            throw new IllegalArgumentException(
                    "deviceId must match " + DEVICE_ID.pattern() + " but was '" + deviceId + "'");
        }
    }
}
