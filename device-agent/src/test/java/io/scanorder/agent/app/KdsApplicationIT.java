package io.scanorder.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KDS tablet agent: tickets over MQTT onto its local page, bumps back as acks. */
class KdsApplicationIT {

    private static final String STORE = "024";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private MqttBroker broker;
    private MqttServiceClient service;
    private KdsApplication agent;
    private TicketJournal journal;
    private String deviceId;
    private final HttpClient http = HttpClient.newHttpClient();
    private final TicketCodec codec = new TicketCodec();

    @BeforeEach
    void start() throws Exception {
        broker = MqttBroker.shared();
        deviceId = "kds-" + System.nanoTime() % 100_000;
        broker.addDevice(STORE, deviceId, "pw-" + deviceId);
        broker.addServiceAccount("kds-it-service", "kds-it-pw");
        service =
                new MqttServiceClient(broker, "kds-it-service", "kds-it-pw")
                        .subscribe(DeviceChannel.ACKS.topic(STORE, deviceId));
    }

    @AfterEach
    void stop() throws Exception {
        stopAgent();
        service.close();
    }

    private void startAgent() throws Exception {
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", deviceId);
        p.setProperty("device.type", "kds-tablet");
        p.setProperty("broker.uri", broker.uri());
        p.setProperty("broker.password", "pw-" + deviceId);
        AgentConfig config = AgentConfig.from(p, Map.of());
        journal = TicketJournal.open(dir.resolve("tickets.journal"));
        agent =
                new KdsApplication(
                        new AgentApplication.Settings(
                                STORE,
                                deviceId,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1),
                                "it"),
                        new PahoTransport(config),
                        journal,
                        new InetSocketAddress("127.0.0.1", 0),
                        Clock.systemUTC());
        agent.start();
    }

    private void stopAgent() {
        if (agent != null) {
            agent.close();
            journal.close();
            agent = null;
        }
    }

    private void sendTicket(String id, String dish) throws Exception {
        service.publish(
                DeviceChannel.TICKETS.topic(STORE, deviceId),
                codec.encode(
                        new KitchenTicket(
                                id,
                                "0042",
                                STORE,
                                "A12",
                                "hot",
                                Instant.parse("2025-01-01T04:34:00Z"),
                                List.of(new KitchenTicket.Line(dish, 2, "大份", "<b>不要辣</b>")),
                                1)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.pagePort() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> bump(String id) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + agent.pagePort()
                                                + "/api/tickets/"
                                                + id
                                                + "/bump"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode tickets() throws Exception {
        HttpResponse<String> response = get("/api/tickets");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("tickets");
    }

    private List<String> acks() {
        return service.on(DeviceChannel.ACKS.topic(STORE, deviceId)).stream()
                .map(MqttServiceClient.Received::text)
                .toList();
    }

    @Test
    void ticketArrivingOverMqttAppearsOnThePageAndIsAckedDisplayed() throws Exception {
        startAgent();

        sendTicket("T-kds-1", "宫保鸡丁");

        await().atMost(WAIT).until(() -> tickets().size() == 1);
        JsonNode ticket = tickets().get(0);
        assertThat(ticket.get("ticketId").asText()).isEqualTo("T-kds-1");
        assertThat(ticket.get("status").asText()).isEqualTo("DISPLAYED");
        assertThat(ticket.get("table").asText()).isEqualTo("A12");
        assertThat(ticket.get("lines").get(0).get("name").asText()).isEqualTo("宫保鸡丁");
        assertThat(ticket.get("lines").get(0).get("notes").asText()).isEqualTo("<b>不要辣</b>");
        await().atMost(WAIT)
                .until(
                        () ->
                                acks().contains(
                                                "{\"ticketId\":\"T-kds-1\",\"status\":\"DISPLAYED\"}"));

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("/api/tickets").contains("setInterval(refresh, 1000)");
    }

    @Test
    void bumpsPublishCookingThenReadyAndReadyLeavesTheScreen() throws Exception {
        startAgent();
        sendTicket("T-kds-2", "Coke");
        await().atMost(WAIT).until(() -> tickets().size() == 1);

        HttpResponse<String> first = bump("T-kds-2");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"status\":\"COOKING\"");
        assertThat(tickets().get(0).get("status").asText()).isEqualTo("COOKING");
        await().atMost(WAIT)
                .until(() -> acks().contains("{\"ticketId\":\"T-kds-2\",\"status\":\"COOKING\"}"));

        assertThat(bump("T-kds-2").body()).contains("\"status\":\"READY\"");
        assertThat(tickets()).isEmpty();
        await().atMost(WAIT)
                .until(() -> acks().contains("{\"ticketId\":\"T-kds-2\",\"status\":\"READY\"}"));
        assertThat(acks())
                .containsSubsequence(
                        "{\"ticketId\":\"T-kds-2\",\"status\":\"DISPLAYED\"}",
                        "{\"ticketId\":\"T-kds-2\",\"status\":\"COOKING\"}",
                        "{\"ticketId\":\"T-kds-2\",\"status\":\"READY\"}");

        HttpResponse<String> gone = bump("T-kds-2");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("ticket 'T-kds-2' is not on this screen");
    }

    @Test
    void openTicketsComeBackAfterARestartAndReadyOnesDoNot() throws Exception {
        startAgent();
        sendTicket("T-kds-open", "Tea");
        sendTicket("T-kds-done", "Soup");
        await().atMost(WAIT).until(() -> tickets().size() == 2);
        bump("T-kds-done");
        bump("T-kds-done");
        await().atMost(WAIT)
                .until(() -> acks().contains("{\"ticketId\":\"T-kds-done\",\"status\":\"READY\"}"));

        stopAgent();
        startAgent();
        sendTicket("T-kds-done", "Soup"); // a redelivery of a ticket already READY

        await().atMost(WAIT)
                .until(
                        () ->
                                acks().stream()
                                                .filter(
                                                        a ->
                                                                a.equals(
                                                                        "{\"ticketId\":\"T-kds-done\",\"status\":\"READY\"}"))
                                                .count()
                                        == 2);
        assertThat(tickets()).hasSize(1);
        assertThat(tickets().get(0).get("ticketId").asText()).isEqualTo("T-kds-open");
    }
}
