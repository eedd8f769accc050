package io.scanorder.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.LedBoardEmulator;
import io.scanorder.agent.led.LineProtocolLedBoard;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LED board agent against the embedded broker and the LED board emulator. */
class DisplayApplicationIT {

    private static final String STORE = "023";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private MqttBroker broker;
    private LedBoardEmulator board;
    private MqttServiceClient service;
    private DisplayApplication agent;
    private String deviceId;

    @BeforeEach
    void start() throws Exception {
        broker = MqttBroker.shared();
        deviceId = "led-" + System.nanoTime() % 100_000;
        broker.addDevice(STORE, deviceId, "pw-" + deviceId);
        board = LedBoardEmulator.start(0);
        service = new MqttServiceClient(broker, "display-it-service", "display-it-pw");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        service.close();
        board.close();
    }

    private String display() {
        return DeviceChannel.DISPLAY.topic(STORE, deviceId);
    }

    private void startAgent() throws Exception {
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", deviceId);
        p.setProperty("device.type", "led-board");
        p.setProperty("broker.uri", broker.uri());
        p.setProperty("broker.password", "pw-" + deviceId);
        p.setProperty("led.host", "127.0.0.1");
        p.setProperty("led.port", String.valueOf(board.port()));
        p.setProperty("printer.poll.seconds", "1");
        AgentConfig config = AgentConfig.from(p, Map.of());
        agent =
                new DisplayApplication(
                        new AgentApplication.Settings(
                                STORE,
                                deviceId,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                "it"),
                        new PahoTransport(config),
                        new LineProtocolLedBoard("127.0.0.1", board.port(), Duration.ofSeconds(2)),
                        Clock.systemUTC());
        agent.start();
    }

    private void publish(String json) throws Exception {
        service.publishRetained(display(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void boardShowsTheRetainedNumbersOnStartAndFollowsUpdates() throws Exception {
        publish("{\"ready\":[\"0042\",\"0043\"]}");

        startAgent();

        await().atMost(WAIT).until(() -> board.shown().equals(List.of("0042", "0043")));
        publish("{\"ready\":[\"0043\",\"A7\"]}");
        await().atMost(WAIT).until(() -> board.shown().equals(List.of("0043", "A7")));
        publish("{\"ready\":[]}");
        await().atMost(WAIT).until(() -> board.shown().isEmpty());
        assertThat(board.errors()).isEmpty();
    }

    @Test
    void badDisplayPayloadsAreDroppedAndCountedAndTheBoardKeepsItsNumbers() throws Exception {
        startAgent();
        publish("{\"ready\":[\"0042\"]}");
        await().atMost(WAIT).until(() -> board.shown().equals(List.of("0042")));

        publish("not json");
        publish("{\"ready\":[\"way-too-long-number\"]}");
        publish("{\"ready\":[\"1\"],\"extra\":true}");

        await().atMost(WAIT).until(() -> agent.counters().droppedInvalid() == 3);
        assertThat(board.shown()).containsExactly("0042");
        // QoS 1 is at-least-once, so "0042" may legitimately be shown twice; what must never
        // reach the board is anything from the three bad payloads.
        assertThat(board.history()).containsOnly(List.of("0042"));
        publish("{\"ready\":[\"0050\"]}");
        await().atMost(WAIT).until(() -> board.shown().equals(List.of("0050")));
    }

    @Test
    void numbersPublishedWhileTheBoardIsUnpluggedAreShownWhenItComesBack() throws Exception {
        startAgent();
        board.online(false);

        publish("{\"ready\":[\"0099\"]}");
        Thread.sleep(1_500); // at least one failed attempt
        assertThat(board.history()).isEmpty();

        board.online(true);

        await().atMost(WAIT).until(() -> board.shown().equals(List.of("0099")));
    }
}
