package io.scanorder.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.AgentMain;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent against the real embedded broker with the ScanOrder extension. */
class PahoTransportIT {

    private static final String STORE = "017";
    private static MqttBroker broker;
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void broker() {
        broker = MqttBroker.shared().addServiceAccount("agent-it-service", "svc-pw");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private AgentConfig config(String deviceId, String password, String uri) {
        broker.addDevice(STORE, deviceId, "right-" + deviceId);
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", deviceId);
        p.setProperty("device.type", "kds-tablet");
        p.setProperty("broker.uri", uri);
        p.setProperty("broker.password", password);
        p.setProperty("heartbeat.interval.seconds", "1");
        return AgentConfig.from(p, Map.of());
    }

    /** A service subscriber; its {@code lines()} are "topic payload", oldest first. */
    private MqttServiceClient serviceSees(String filter) throws MqttException {
        MqttServiceClient service =
                new MqttServiceClient(broker, "agent-it-service", "svc-pw").subscribe(filter);
        cleanup.add(service);
        return service;
    }

    private static String last(MqttServiceClient service) {
        List<String> lines = service.lines();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    @Test
    void agentComesOnlineAndSendsHeartbeats() throws Exception {
        AgentConfig config = config("it-tablet-1", "right-it-tablet-1", broker.uri());
        String status = DeviceChannel.STATUS.topic(STORE, "it-tablet-1");
        MqttServiceClient statuses = serviceSees(status);
        MqttServiceClient heartbeats =
                serviceSees(
                        "$share/agent-it/" + DeviceChannel.HEARTBEAT.topic(STORE, "it-tablet-1"));

        AgentMain agent = new AgentMain(config, new PahoTransport(config));
        cleanup.add(0, agent);
        agent.start();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(last(statuses)).isEqualTo(status + " online"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.received().size() >= 2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(heartbeats.received().get(0).text());
        JsonNode second = json.readTree(heartbeats.received().get(1).text());
        assertThat(first.get("deviceId").asText()).isEqualTo("it-tablet-1");
        assertThat(first.get("paper").asText()).isEqualTo("UNKNOWN");
        assertThat(second.get("seq").asLong()).isEqualTo(first.get("seq").asLong() + 1);

        // the retained status is what a service that starts later sees first
        MqttServiceClient late = serviceSees(status);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(late.lines()).containsExactly(status + " online"));

        // a clean stop also leaves "offline" behind
        agent.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(last(statuses)).isEqualTo(status + " offline"));
    }

    @Test
    void abruptlyCutConnectionMakesTheBrokerPublishTheOfflineWillAndTheAgentComesBack()
            throws Exception {
        TcpProxy proxy = new TcpProxy(broker.host(), broker.port());
        cleanup.add(proxy);
        AgentConfig config = config("it-tablet-2", "right-it-tablet-2", proxy.uri());
        String status = DeviceChannel.STATUS.topic(STORE, "it-tablet-2");
        MqttServiceClient statuses = serviceSees(status);
        PahoTransport transport = new PahoTransport(config);
        cleanup.add(0, transport);
        transport.connect();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(last(statuses)).isEqualTo(status + " online"));

        proxy.cut();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(last(statuses)).isEqualTo(status + " offline"));
        MqttServiceClient late = serviceSees(status);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(late.lines()).containsExactly(status + " offline"));

        proxy.open();

        await().atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> assertThat(last(statuses)).isEqualTo(status + " online"));
        assertThat(transport.isConnected()).isTrue();
    }

    @Test
    void serverPushedConfigReachesTheSubscribedAgent() throws Exception {
        AgentConfig config = config("it-tablet-3", "right-it-tablet-3", broker.uri());
        PahoTransport transport = new PahoTransport(config);
        cleanup.add(0, transport);
        transport.connect();
        List<String> received = new CopyOnWriteArrayList<>();
        transport.subscribe(
                DeviceChannel.CONFIG,
                (channel, payload) ->
                        received.add(
                                channel.level()
                                        + " "
                                        + new String(payload, StandardCharsets.UTF_8)));

        try (MqttServiceClient service =
                new MqttServiceClient(broker, "agent-it-service", "svc-pw")) {
            service.publishRetained(
                    DeviceChannel.CONFIG.topic(STORE, "it-tablet-3"),
                    "{\"copies\":2}".getBytes(StandardCharsets.UTF_8));
        }

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).containsExactly("config {\"copies\":2}"));
    }

    @Test
    void ticketsQueuedInThePersistentSessionWaitForTheirHandlerInsteadOfBeingDropped()
            throws Exception {
        AgentConfig config = config("it-printer-5", "right-it-printer-5", broker.uri());
        PahoTransport before = new PahoTransport(config);
        before.connect();
        before.subscribe(DeviceChannel.TICKETS, (channel, payload) -> {});
        before.close(); // clean disconnect: the broker keeps the session and queues for it
        try (MqttServiceClient service =
                new MqttServiceClient(broker, "agent-it-service", "svc-pw")) {
            for (String ticket : List.of("queued-1", "queued-2")) {
                service.publish(
                        DeviceChannel.TICKETS.topic(STORE, "it-printer-5"),
                        ticket.getBytes(StandardCharsets.UTF_8));
            }
        }

        PahoTransport after = new PahoTransport(config);
        cleanup.add(0, after);
        // The broker delivers the queued tickets right after CONNACK, before the application has
        // registered its handler (as AgentApplication.start does: connect, then subscribe).
        after.connect();
        Thread.sleep(1_000);
        List<String> received = new CopyOnWriteArrayList<>();
        after.subscribe(
                DeviceChannel.TICKETS,
                (channel, payload) -> received.add(new String(payload, StandardCharsets.UTF_8)));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(received).containsExactly("queued-1", "queued-2"));
    }

    @Test
    void wrongPasswordIsReportedWithTheBrokersReasonCode() {
        AgentConfig config = config("it-tablet-4", "wrong", broker.uri());
        PahoTransport transport = new PahoTransport(config);
        cleanup.add(0, transport);
        assertThatThrownBy(transport::connect)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("cannot connect device 'it-tablet-4'")
                .hasMessageContaining("reason code 134");
    }

    @Test
    void agentRefusesToPublishOnServerChannels() {
        AgentConfig config = config("it-tablet-5", "right-it-tablet-5", broker.uri());
        PahoTransport transport = new PahoTransport(config);
        cleanup.add(0, transport);
        assertThatThrownBy(() -> transport.publish(DeviceChannel.TICKETS, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tickets is written by the server");
    }
}
