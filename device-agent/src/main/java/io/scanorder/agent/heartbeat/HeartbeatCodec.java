package io.scanorder.agent.heartbeat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the heartbeat payload, a flat JSON object:
 *
 * <pre>
 * {"deviceId":"hot-printer-1","seq":42,"sentAt":"2025-01-01T12:00:00Z","paper":"OK",
 *  "cover":"CLOSED","printer":"ONLINE","queueDepth":0,"agentVersion":"0.1.0",
 *  "configRevision":"5f0c2a9e41d7b3c8"}
 * </pre>
 *
 * Written by hand to keep the field order fixed; strings are escaped by Jackson's encoder.
 */
public final class HeartbeatCodec {

    /**
     * One heartbeat; {@code seq} grows by one per heartbeat so gaps are visible; {@code
     * configRevision} is the revision of the pushed config the agent runs with, "" for none.
     */
    public record HeartbeatMessage(
            String deviceId,
            long seq,
            Instant sentAt,
            DeviceHealth health,
            String agentVersion,
            String configRevision) {

        /** A heartbeat of an agent running without a pushed config. */
        public HeartbeatMessage(
                String deviceId,
                long seq,
                Instant sentAt,
                DeviceHealth health,
                String agentVersion) {
            this(deviceId, seq, sentAt, health, agentVersion, "");
        }
    }

    public byte[] encode(HeartbeatMessage m) {
        StringBuilder json = new StringBuilder(160);
        json.append('{');
        string(json, "deviceId", m.deviceId()).append(',');
        json.append("\"seq\":").append(m.seq()).append(',');
        string(json, "sentAt", m.sentAt().toString()).append(',');
        string(json, "paper", m.health().paper().name()).append(',');
        string(json, "cover", m.health().cover().name()).append(',');
        string(json, "printer", m.health().printer().name()).append(',');
        json.append("\"queueDepth\":").append(m.health().queueDepth()).append(',');
        string(json, "agentVersion", m.agentVersion()).append(',');
        string(json, "configRevision", m.configRevision() == null ? "" : m.configRevision());
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder string(StringBuilder json, String name, String value) {
        // Jackson's encoder escapes per RFC 8259 (quotes, backslashes, control characters).
        return json.append('"')
                .append(name)
                .append("\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(value))
                .append('"');
    }
}
