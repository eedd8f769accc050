package io.scanorder.agent.heartbeat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the heartbeat payload, a flat JSON object:
 *
 * <pre>
 * {"deviceId":"hot-printer-1","seq":42,"sentAt":"2025-01-01T12:00:00Z","paper":"OK",
 *  "cover":"CLOSED","printer":"ONLINE","queueDepth":0,"agentVersion":"0.1.0"}
 * </pre>
 *
 * Hand-written so the agent needs no JSON library; strings are escaped per RFC 8259.
 */
public final class HeartbeatCodec {

    /** One heartbeat; {@code seq} grows by one per heartbeat so gaps are visible. */
    public record HeartbeatMessage(
            String deviceId, long seq, Instant sentAt, DeviceHealth health, String agentVersion) {}

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
        string(json, "agentVersion", m.agentVersion());
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder string(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
