package io.scanorder.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Link;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.heartbeat.HeartbeatCodec.HeartbeatMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HeartbeatCodec codec = new HeartbeatCodec();

    @Test
    void encodesEveryFieldAsJson() throws Exception {
        byte[] payload =
                codec.encode(
                        new HeartbeatMessage(
                                "hot-printer-1",
                                42,
                                Instant.parse("2025-01-01T12:00:00Z"),
                                new DeviceHealth(Paper.LOW, Cover.CLOSED, Link.OFFLINE, 3),
                                "0.1.0",
                                "5f0c2a9e41d7b3c8"));

        JsonNode node = json.readTree(payload);
        assertThat(node.get("deviceId").asText()).isEqualTo("hot-printer-1");
        assertThat(node.get("seq").asLong()).isEqualTo(42);
        assertThat(node.get("sentAt").asText()).isEqualTo("2025-01-01T12:00:00Z");
        assertThat(node.get("paper").asText()).isEqualTo("LOW");
        assertThat(node.get("cover").asText()).isEqualTo("CLOSED");
        assertThat(node.get("printer").asText()).isEqualTo("OFFLINE");
        assertThat(node.get("queueDepth").asInt()).isEqualTo(3);
        assertThat(node.get("agentVersion").asText()).isEqualTo("0.1.0");
        assertThat(node.get("configRevision").asText()).isEqualTo("5f0c2a9e41d7b3c8");
        assertThat(node.size()).isEqualTo(9);
    }

    @Test
    void agentWithoutPushedConfigReportsAnEmptyRevision() throws Exception {
        byte[] payload =
                codec.encode(
                        new HeartbeatMessage("A", 1, Instant.EPOCH, DeviceHealth.UNKNOWN, "0.1.0"));
        assertThat(json.readTree(payload).get("configRevision").asText()).isEmpty();
    }

    @Test
    void escapesStringsSoAnyVersionTextStaysValidJson() throws Exception {
        String nasty = "1.0 \"beta\"\\\n\t\u0001汉字";
        byte[] payload =
                codec.encode(
                        new HeartbeatMessage("A", 1, Instant.EPOCH, DeviceHealth.UNKNOWN, nasty));
        JsonNode node = json.readTree(payload);
        assertThat(node.get("agentVersion").asText()).isEqualTo(nasty);
        assertThat(node.get("paper").asText()).isEqualTo("UNKNOWN");
    }
}
