package io.scanorder.agent.config;

import io.scanorder.agent.config.AgentConfig.DeviceType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The device settings the order service pushes, retained, on the device's {@code config} topic
 * (docs/architecture.md, "Config push"): what the KitchenDevice resource says about this device.
 * Built only by {@link DeviceConfigCodec}, which validates every field. It overrides the matching
 * keys of the local {@link AgentConfig} file (heartbeat interval, paper width) while it is in
 * force.
 *
 * @param schema document schema version; this agent reads {@value DeviceConfigCodec#SCHEMA}
 * @param revision identifies the settings: equal revisions mean equal settings
 * @param storeCode 3-digit store code, must be the agent's own
 * @param deviceId device id, must be the agent's own
 * @param type kind of device, must be the agent's own
 * @param role {@code PRIMARY} or {@code BACKUP} for its stations
 * @param stations kitchen stations the device serves
 * @param heartbeatInterval time between heartbeats
 * @param printer printer options; present exactly when {@code type} is a printer
 */
public record DeviceConfig(
        int schema,
        String revision,
        String storeCode,
        String deviceId,
        DeviceType type,
        String role,
        List<String> stations,
        Duration heartbeatInterval,
        Printer printer) {

    /**
     * Printer options.
     *
     * @param paperWidthMm 58 or 80
     * @param copies copies printed of each ticket, 1..5
     * @param cut whether to cut after each copy (false: the printer has no cutter)
     */
    public record Printer(int paperWidthMm, int copies, boolean cut) {}

    public DeviceConfig {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        stations = List.copyOf(stations);
    }

    /** A short description for log lines. */
    public String summary() {
        return "revision "
                + revision
                + " ("
                + role
                + " for "
                + String.join(",", stations)
                + ", heartbeat "
                + heartbeatInterval.toSeconds()
                + " s"
                + (printer == null
                        ? ""
                        : ", paper "
                                + printer.paperWidthMm()
                                + " mm, "
                                + printer.copies()
                                + " cop"
                                + (printer.copies() == 1 ? "y" : "ies")
                                + (printer.cut() ? ", cut" : ", no cut"))
                + ")";
    }
}
