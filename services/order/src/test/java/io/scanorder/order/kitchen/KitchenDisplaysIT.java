package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.app.DisplayApplication;
import io.scanorder.agent.app.KdsApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.LedBoardEmulator;
import io.scanorder.agent.led.LineProtocolLedBoard;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KDS tablets and pickup LED boards against the order service: the real device agent's KDS
 * application (its web page bumps tickets) and LED board application (on the LED board emulator),
 * the embedded HiveMQ broker with the ScanOrder extension, and real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class KitchenDisplaysIT {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject KitchenMetrics metrics;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedChannel channel;
    private OrderFixture fixture;
    private OrderFixture.Store store;
    private MqttBroker broker;

    @BeforeEach
    void setUp() throws SQLException {
        channel = OwnGrpcChannel.open();
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
        broker = MqttBroker.shared();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void kdsBumpsMoveTheOrderToCookingThenReadyOnceAndRepeatedAcksChangeNothing() throws Exception {
        Kds kds = kds(uniqueId("kds-hot"));
        String kdsId = kds.id();
        register(kdsId, DeviceType.DEVICE_TYPE_KDS_TABLET, "hot");
        UUID order = fixture.orderIn(store, OrderState.PAID);
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");

        await().atMost(WAIT).until(() -> kds.app().board().cards().size() == 1);
        String ticketId = kds.app().board().cards().get(0).ticket().ticketId();
        await().atMost(WAIT)
                .until(() -> ticket(ticketId).equals("ACKED " + kdsId + " DISPLAYED true"));
        // displayed is not cooking: the order waits for the first bump
        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.DISPATCHING);

        bump(kds, ticketId);
        await().atMost(WAIT).until(() -> fixture.stateOf(order) == OrderState.COOKING);
        assertThat(ticket(ticketId)).isEqualTo("ACKED " + kdsId + " COOKING true");

        double duplicatesBefore = metrics.duplicates();
        try (MqttServiceClient service =
                new MqttServiceClient(broker, "kds-it", "kds-it-password")) {
            String acks = "scanorder/" + store.storeCode() + "/devices/" + kdsId + "/acks";
            service.publish(acks, ack(ticketId, "DISPLAYED"));
            service.publish(acks, ack(ticketId, "COOKING"));
            await().atMost(WAIT).until(() -> metrics.duplicates() >= duplicatesBefore + 2);
            assertThat(fixture.stateOf(order)).isEqualTo(OrderState.COOKING);

            bump(kds, ticketId);
            await().atMost(WAIT).until(() -> fixture.stateOf(order) == OrderState.READY);
            int eventsAfterReady = fixture.eventCount(order);

            // READY repeated (the tablet re-sends it on redelivery) and a late COOKING
            service.publish(acks, ack(ticketId, "READY"));
            service.publish(acks, ack(ticketId, "COOKING"));
            await().atMost(WAIT).until(() -> metrics.duplicates() >= duplicatesBefore + 4);
            assertThat(fixture.eventCount(order)).isEqualTo(eventsAfterReady);
        }
        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.READY);
        assertThat(kitchenEvents(order))
                .containsExactly(
                        "ACCEPTED->DISPATCHING SYSTEM:kitchen-dispatcher",
                        "DISPATCHING->COOKING SYSTEM:device:" + kdsId,
                        "COOKING->READY SYSTEM:device:" + kdsId);
        assertThat(ticket(ticketId)).isEqualTo("ACKED " + kdsId + " READY true");
    }

    @Test
    void kdsAckFromADeviceTheTicketWasNotRoutedToIsRefusedAndCounted() throws Exception {
        Kds kds = kds(uniqueId("kds-cold"));
        String kdsId = kds.id();
        register(kdsId, DeviceType.DEVICE_TYPE_KDS_TABLET, "hot");
        String otherId = uniqueId("kds-bar");
        register(otherId, DeviceType.DEVICE_TYPE_KDS_TABLET, "bar");
        UUID order = fixture.orderIn(store, OrderState.PAID);
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> kds.app().board().cards().size() == 1);
        String ticketId = kds.app().board().cards().get(0).ticket().ticketId();
        await().atMost(WAIT).until(() -> ticket(ticketId).startsWith("ACKED " + kdsId));
        double refusedBefore = metrics.refused("READY");

        try (MqttServiceClient service =
                new MqttServiceClient(broker, "kds-it", "kds-it-password")) {
            service.publish(
                    "scanorder/" + store.storeCode() + "/devices/" + otherId + "/acks",
                    ack(ticketId, "READY"));
        }

        await().atMost(WAIT).until(() -> metrics.refused("READY") == refusedBefore + 1);
        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.DISPATCHING);
        assertThat(ticket(ticketId)).isEqualTo("ACKED " + kdsId + " DISPLAYED true");
    }

    @Test
    void ledBoardShowsTheRetainedReadyNumbersAndDropsTheOrderOnceServed() throws Exception {
        LedBoardEmulator emulator = LedBoardEmulator.start(0);
        running.add(emulator);
        String ledId = uniqueId("led-pass");
        register(ledId, DeviceType.DEVICE_TYPE_LED_BOARD, "pass");
        startLed(ledId, emulator);

        UUID order = fixture.orderIn(store, OrderState.COOKING);
        String pickup = pickupNumber(order);
        transitions.move(order, OrderState.READY, OrderFixture.STAFF, "food at the pass");
        await().atMost(WAIT).untilAsserted(() -> assertThat(emulator.shown()).contains(pickup));

        String display = "scanorder/" + store.storeCode() + "/devices/" + ledId + "/display";
        // retained: a board connecting now gets the list at once
        try (MqttServiceClient late =
                new MqttServiceClient(broker, "led-it", "led-it-password").subscribe(display)) {
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(late.on(display))
                                            .last()
                                            .extracting(MqttServiceClient.Received::text)
                                            .asString()
                                            .contains("\"" + pickup + "\""));
        }

        transitions.move(order, OrderState.SERVED, OrderFixture.STAFF, "served");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(emulator.shown()).doesNotContain(pickup));
        try (MqttServiceClient late =
                new MqttServiceClient(broker, "led-it", "led-it-password").subscribe(display)) {
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(late.on(display))
                                            .last()
                                            .extracting(MqttServiceClient.Received::text)
                                            .asString()
                                            .startsWith("{\"ready\":[")
                                            .doesNotContain("\"" + pickup + "\""));
        }
    }

    // --- helpers ---

    private String uniqueId(String name) {
        return name + "-" + IDS.incrementAndGet() + "-" + (System.nanoTime() % 100_000);
    }

    /** A running KDS tablet agent. */
    private record Kds(String id, KdsApplication app) {}

    private Properties agentProperties(String deviceId, String type) throws Exception {
        String password = "pw-" + deviceId;
        broker.addDevice(store.storeCode(), deviceId, password);
        Path dir = Files.createTempDirectory("kitchen-display-");
        Properties p = new Properties();
        p.setProperty(AgentConfig.STORE_CODE, store.storeCode());
        p.setProperty(AgentConfig.DEVICE_ID, deviceId);
        p.setProperty(AgentConfig.DEVICE_TYPE, type);
        p.setProperty(AgentConfig.BROKER_URI, broker.uri());
        p.setProperty(AgentConfig.BROKER_PASSWORD, password);
        p.setProperty(AgentConfig.HEARTBEAT_INTERVAL, "1");
        p.setProperty(AgentConfig.PRINTER_POLL, "1");
        p.setProperty(AgentConfig.JOURNAL_FILE, dir.resolve("tickets.journal").toString());
        return p;
    }

    private static AgentApplication.Settings settings(AgentConfig config) {
        return new AgentApplication.Settings(
                config.storeCode(),
                config.deviceId(),
                config.heartbeatInterval(),
                config.printerPoll(),
                "0.1.0-test");
    }

    private Kds kds(String deviceId) throws Exception {
        Properties p = agentProperties(deviceId, "kds-tablet");
        p.setProperty(AgentConfig.KDS_BIND, "127.0.0.1");
        AgentConfig config = AgentConfig.from(p, Map.of());
        TicketJournal journal = TicketJournal.open(config.journalFile());
        running.add(journal);
        KdsApplication app =
                new KdsApplication(
                        settings(config),
                        new PahoTransport(config),
                        journal,
                        new InetSocketAddress("127.0.0.1", 0),
                        Clock.systemUTC());
        running.add(app);
        app.start();
        return new Kds(deviceId, app);
    }

    private void startLed(String deviceId, LedBoardEmulator emulator) throws Exception {
        Properties p = agentProperties(deviceId, "led-board");
        p.setProperty(AgentConfig.LED_HOST, "127.0.0.1");
        p.setProperty(AgentConfig.LED_PORT, Integer.toString(emulator.port()));
        AgentConfig config = AgentConfig.from(p, Map.of());
        DisplayApplication app =
                new DisplayApplication(
                        settings(config),
                        new PahoTransport(config),
                        new LineProtocolLedBoard(
                                "127.0.0.1", emulator.port(), Duration.ofSeconds(3)),
                        Clock.systemUTC());
        running.add(app);
        app.start();
    }

    private void bump(Kds kds, String ticketId) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + kds.app().pagePort()
                                                        + "/api/tickets/"
                                                        + ticketId
                                                        + "/bump"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void register(String deviceId, DeviceType type, String station) {
        DeviceRegistryGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .setType(type)
                                .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                                .addStations(station)
                                .setHeartbeatIntervalSeconds(1)
                                .build());
    }

    private static byte[] ack(String ticketId, String status) {
        return ("{\"ticketId\":\"" + ticketId + "\",\"status\":\"" + status + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** "state device kds_status outboxCompleted". */
    private String ticket(String ticketId) throws SQLException {
        List<String> rows =
                strings(
                        "SELECT t.state || ' ' || COALESCE(t.device_id, '') || ' '"
                                + " || COALESCE(t.kds_status, '') || ' '"
                                + " || bool_and(o.completed_at IS NOT NULL)::TEXT"
                                + " FROM kitchen_tickets t JOIN outbox o"
                                + " ON o.aggregate_id = t.ticket_id WHERE t.ticket_id = ?::UUID"
                                + " GROUP BY t.state, t.device_id, t.kds_status",
                        ticketId);
        return rows.isEmpty() ? "" : rows.get(0);
    }

    private String pickupNumber(UUID order) throws SQLException {
        return strings(
                        "SELECT pickup_number FROM orders WHERE order_id = ?::UUID",
                        order.toString())
                .get(0);
    }

    /** The order's moves from ACCEPTED on, with the actor. */
    private List<String> kitchenEvents(UUID order) throws SQLException {
        return strings(
                "SELECT from_state || '->' || to_state || ' ' || actor_kind || ':' || actor_id"
                        + " FROM order_events WHERE order_id = ?::UUID"
                        + " AND from_state IN ('ACCEPTED', 'DISPATCHING', 'COOKING')"
                        + " ORDER BY occurred_at",
                order.toString());
    }

    private List<String> strings(String sql, String param) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
