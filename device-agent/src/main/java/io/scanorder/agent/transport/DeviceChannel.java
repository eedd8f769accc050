package io.scanorder.agent.transport;

/**
 * The MQTT topics of one device, {@code scanorder/{storeCode}/devices/{deviceId}/{level}}, with the
 * direction, QoS and retain flag the architecture fixes for each.
 */
public enum DeviceChannel {
    TICKETS("tickets", false, 1, false),
    ACKS("acks", true, 1, false),
    HEARTBEAT("heartbeat", true, 0, false),
    ALARMS("alarms", true, 1, false),
    STATUS("status", true, 1, true),
    CONFIG("config", false, 1, true),
    DISPLAY("display", false, 1, true);

    private final String level;
    private final boolean outgoing;
    private final int qos;
    private final boolean retained;

    DeviceChannel(String level, boolean outgoing, int qos, boolean retained) {
        this.level = level;
        this.outgoing = outgoing;
        this.qos = qos;
        this.retained = retained;
    }

    /** Last topic level, e.g. {@code heartbeat}. */
    public String level() {
        return level;
    }

    /** True if the device publishes on this channel, false if it subscribes. */
    public boolean outgoing() {
        return outgoing;
    }

    public int qos() {
        return qos;
    }

    public boolean retained() {
        return retained;
    }

    /** The full topic of this channel for one device. */
    public String topic(String storeCode, String deviceId) {
        return "scanorder/" + storeCode + "/devices/" + deviceId + "/" + level;
    }
}
