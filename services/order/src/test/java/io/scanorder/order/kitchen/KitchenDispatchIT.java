package io.scanorder.order.kitchen;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.DeregisterDeviceRequest;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DevicePhase;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.proto.order.v1.PrinterOptions;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kitchen dispatch end to end: the order service with the embedded HiveMQ broker (ScanOrder
 * extension), real PostgreSQL, the real device agent printing on the printer emulator, and devices
 * played by Paho clients under their own device credentials.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class KitchenDispatchIT {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject KitchenMetrics metrics;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ManagedChannel channel;
    private DeviceRegistryGrpc.DeviceRegistryBlockingStub registry;
    private OrderFixture fixture;
    private OrderFixture.Store store;
    private MqttBroker broker;

    @BeforeEach
    void setUp() throws SQLException {
        channel = OwnGrpcChannel.open();
        registry = DeviceRegistryGrpc.newBlockingStub(channel);
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
    void acceptedOrderIsPrintedByTheRealAgentAckedAndMovesToCooking() throws Exception {
        PrinterAgent hot = agent("hot-primary");
        register(hot.deviceId, DeviceRole.DEVICE_ROLE_PRIMARY, "hot");
        awaitPhase(hot.deviceId, DevicePhase.DEVICE_PHASE_ONLINE);

        UUID order = fixture.orderIn(store, OrderState.PAID);
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(hot.receipts())
                                        .singleElement()
                                        .asString()
                                        .contains("Beef noodles"));
        await().atMost(WAIT).until(() -> fixture.stateOf(order) == OrderState.COOKING);
        assertThat(ticketStates(order)).containsExactly("ACKED " + hot.deviceId);
        assertThat(events(order))
                .containsSubsequence("ACCEPTED->DISPATCHING SYSTEM", "DISPATCHING->COOKING SYSTEM");
        DeviceHealth health = get(hot.deviceId);
        assertThat(health.getAgentVersion()).isEqualTo("0.1.0-test");
        assertThat(health.hasLastHeartbeatAt()).isTrue();

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(scrape())
                                        .containsPattern(
                                                "scanorder_device_online\\{device=\""
                                                        + hot.deviceId
                                                        + "\",role=\"primary\",station=\"hot\","
                                                        + "store=\""
                                                        + store.storeCode()
                                                        + "\",?\\} 1\\.0")
                                        .containsPattern(
                                                "scanorder_ticket_print_latency_seconds_count [1-9]")
                                        .contains("scanorder_outbox_backlog")
                                        .contains("scanorder_outbox_oldest_pending_seconds")
                                        .contains(
                                                "scanorder_device_paper_state{device=\""
                                                        + hot.deviceId));
    }

    @Test
    void paperOutFailsOverToTheBackupWithinFiveSecondsAndReturnsAfterClear() throws Exception {
        PrinterAgent primary = agent("hot-main");
        PrinterAgent backup = agent("hot-spare");
        register(primary.deviceId, DeviceRole.DEVICE_ROLE_PRIMARY, "hot");
        register(backup.deviceId, DeviceRole.DEVICE_ROLE_BACKUP, "hot");
        awaitPhase(primary.deviceId, DevicePhase.DEVICE_PHASE_ONLINE);
        awaitPhase(backup.deviceId, DevicePhase.DEVICE_PHASE_ONLINE);

        primary.printer.paperOut(true);
        awaitPhase(primary.deviceId, DevicePhase.DEVICE_PHASE_DEGRADED);
        assertThat(get(primary.deviceId).getActiveAlarmsList())
                .extracting(a -> a.getType().name())
                .contains("ALARM_TYPE_PAPER_OUT");

        UUID first = fixture.orderIn(store, OrderState.PAID);
        transitions.move(first, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(Duration.ofSeconds(5)).until(() -> backup.receipts().size() == 1);
        await().atMost(WAIT).until(() -> fixture.stateOf(first) == OrderState.COOKING);
        assertThat(primary.receipts()).isEmpty();
        assertThat(ticketStates(first)).containsExactly("ACKED " + backup.deviceId);

        primary.printer.paperOut(false);
        awaitPhase(primary.deviceId, DevicePhase.DEVICE_PHASE_ONLINE);
        UUID second = fixture.orderIn(store, OrderState.PAID);
        transitions.move(second, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(Duration.ofSeconds(5)).until(() -> primary.receipts().size() == 1);
        await().atMost(WAIT).until(() -> fixture.stateOf(second) == OrderState.COOKING);
        assertThat(backup.receipts()).hasSize(1);
    }

    @Test
    void aDeviceSilentForThreeHeartbeatsGoesOfflineAndItsTicketGoesToTheBackup() throws Exception {
        FakeDevice primary = fakeDevice("cold-main");
        FakeDevice backup = fakeDevice("cold-spare");
        register(primary.id, DeviceRole.DEVICE_ROLE_PRIMARY, "cold");
        register(backup.id, DeviceRole.DEVICE_ROLE_BACKUP, "cold");
        primary.heartbeat();
        backup.heartbeat();
        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_ONLINE);
        awaitPhase(backup.id, DevicePhase.DEVICE_PHASE_ONLINE);

        // The primary keeps its connection but stops sending heartbeats and never acks.
        UUID order = fixture.orderIn(store, OrderState.PAID);
        KitchenTestData.addLine(dataSource, order, 2, "cold", "Cucumber salad", 1, "");
        Instant lastBeat = Instant.now();
        primary.heartbeat();
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> primary.tickets.size() == 1);
        // keep the backup alive meanwhile
        Thread keepAlive =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    backup.heartbeat();
                                    Thread.sleep(500);
                                } catch (Exception e) {
                                    return;
                                }
                            }
                        });
        keepAlive.start();
        running.add(keepAlive::interrupt);

        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_OFFLINE);
        assertThat(Duration.between(lastBeat, Instant.now()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> backup.tickets.size() == 1);
        assertThat(backup.tickets.get(0)).contains("Cucumber salad");
        assertThat(primary.tickets.get(0)).isEqualTo(backup.tickets.get(0));
    }

    @Test
    void aDeviceThatDropsOffGetsOneHeartbeatIntervalToFinishItsTicketBeforeTheBackupGetsIt()
            throws Exception {
        FakeDevice primary = fakeDevice("cold-restarting");
        FakeDevice backup = fakeDevice("cold-standby");
        register(primary.id, DeviceRole.DEVICE_ROLE_PRIMARY, "cold", 4);
        register(backup.id, DeviceRole.DEVICE_ROLE_BACKUP, "cold", 4);
        primary.heartbeat();
        backup.heartbeat();
        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_ONLINE);
        awaitPhase(backup.id, DevicePhase.DEVICE_PHASE_ONLINE);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        KitchenTestData.addLine(dataSource, order, 2, "cold", "Cucumber salad", 1, "");
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> primary.tickets.size() == 1);

        // The agent is killed mid-print: the broker publishes its last will.
        primary.publish("status", "offline");
        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_OFFLINE);
        Thread.sleep(2_000);
        assertThat(backup.tickets).as("tickets at the backup within the grace").isEmpty();

        // Restarted within the interval, it finds the job on paper and says so.
        primary.publish("status", "online");
        primary.heartbeat();
        for (String id : ticketIds(order)) {
            primary.publish("acks", "{\"ticketId\":\"" + id + "\",\"status\":\"PRINTED\"}");
        }
        await().atMost(WAIT).until(() -> fixture.stateOf(order) == OrderState.COOKING);
        backup.heartbeat();
        Thread.sleep(3_000);
        assertThat(backup.tickets).isEmpty();
        assertThat(ticketStates(order))
                .allSatisfy(t -> assertThat(t).isEqualTo("ACKED " + primary.id));
    }

    @Test
    void aDeviceStillOfflineAfterOneHeartbeatIntervalLosesItsTicketToTheBackup() throws Exception {
        FakeDevice primary = fakeDevice("cold-gone");
        FakeDevice backup = fakeDevice("cold-takeover");
        register(primary.id, DeviceRole.DEVICE_ROLE_PRIMARY, "cold", 3);
        register(backup.id, DeviceRole.DEVICE_ROLE_BACKUP, "cold", 3);
        primary.heartbeat();
        backup.heartbeat();
        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_ONLINE);
        awaitPhase(backup.id, DevicePhase.DEVICE_PHASE_ONLINE);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        KitchenTestData.addLine(dataSource, order, 2, "cold", "Cucumber salad", 1, "");
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> primary.tickets.size() == 1);

        Instant offline = Instant.now();
        primary.publish("status", "offline");
        backup.heartbeat();
        await().atMost(WAIT).until(() -> !backup.tickets.isEmpty());
        assertThat(Duration.between(offline, Instant.now()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        assertThat(backup.tickets.get(0)).contains("Cucumber salad");
    }

    @Test
    void anInterruptedAckLeavesTheTicketForStaffAndNeverSendsItToTheBackup() throws Exception {
        FakeDevice primary = fakeDevice("cold-maybe");
        FakeDevice backup = fakeDevice("cold-bystander");
        register(primary.id, DeviceRole.DEVICE_ROLE_PRIMARY, "cold");
        register(backup.id, DeviceRole.DEVICE_ROLE_BACKUP, "cold");
        primary.heartbeat();
        backup.heartbeat();
        awaitPhase(primary.id, DevicePhase.DEVICE_PHASE_ONLINE);
        awaitPhase(backup.id, DevicePhase.DEVICE_PHASE_ONLINE);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        KitchenTestData.addLine(dataSource, order, 2, "cold", "Cucumber salad", 1, "");
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> primary.tickets.size() == 1);
        UUID ticket =
                ticketIds(order).stream()
                        .filter(primary.tickets.get(0)::contains)
                        .map(UUID::fromString)
                        .findFirst()
                        .orElseThrow();
        double uncertainBefore = metrics.uncertain(store.storeCode(), primary.id);
        double duplicatesBefore = metrics.duplicates();

        // The agent died while the job was going out: it may be on paper at the primary.
        String interrupted =
                "{\"ticketId\":\""
                        + ticket
                        + "\",\"status\":\"FAILED\",\"reason\":\"INTERRUPTED\","
                        + "\"detail\":\"agent stopped while the job was being sent\"}";
        primary.publish("acks", interrupted);

        await().atMost(WAIT)
                .until(() -> metrics.uncertain(store.storeCode(), primary.id) > uncertainBefore);
        // a refused ticket would be routed again at once; give that every chance to happen
        backup.heartbeat();
        Thread.sleep(3_000);
        assertThat(backup.tickets).as("tickets sent to the backup").isEmpty();
        assertThat(primary.tickets).hasSize(1);
        assertThat(
                        strings(
                                "SELECT t.state || ' ' || t.device_id || ' ' || t.failure_reason"
                                        + " || ' ' || (o.completed_at IS NOT NULL)::TEXT"
                                        + " FROM kitchen_tickets t JOIN outbox o"
                                        + " ON o.aggregate_id = t.ticket_id WHERE t.ticket_id = ?",
                                ticket))
                .containsExactly("FAILED " + primary.id + " INTERRUPTED true");
        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.DISPATCHING);

        // the agent repeats its answer to a redelivery: nothing new happens
        primary.publish("acks", interrupted);
        await().atMost(WAIT).until(() -> metrics.duplicates() > duplicatesBefore);
        assertThat(metrics.uncertain(store.storeCode(), primary.id)).isEqualTo(uncertainBefore + 1);
        assertThat(scrape())
                .containsPattern(
                        "scanorder_kitchen_tickets_uncertain_total\\{device=\""
                                + primary.id
                                + "\",store=\""
                                + store.storeCode()
                                + "\",?\\} 1\\.0");
        assertThat(backup.tickets).isEmpty();
    }

    @Test
    void aDuplicatedAckNeverPrintsTwiceNorMovesTheOrderAgain() throws Exception {
        PrinterAgent hot = agent("hot-dup");
        register(hot.deviceId, DeviceRole.DEVICE_ROLE_PRIMARY, "hot");
        awaitPhase(hot.deviceId, DevicePhase.DEVICE_PHASE_ONLINE);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> fixture.stateOf(order) == OrderState.COOKING);
        String ticketId = ticketIds(order).get(0);
        double duplicatesBefore = metrics.duplicates();
        int eventsBefore = events(order).size();

        try (MqttServiceClient service =
                new MqttServiceClient(broker, "kitchen-it", "kitchen-it-pw")) {
            byte[] ack =
                    ("{\"ticketId\":\"" + ticketId + "\",\"status\":\"PRINTED\"}")
                            .getBytes(StandardCharsets.UTF_8);
            String acks = "scanorder/" + store.storeCode() + "/devices/" + hot.deviceId + "/acks";
            service.publish(acks, ack);
            service.publish(acks, ack);
        }

        await().atMost(WAIT).until(() -> metrics.duplicates() >= duplicatesBefore + 2);
        assertThat(hot.receipts()).hasSize(1);
        assertThat(events(order)).hasSize(eventsBefore);
        assertThat(outboxCompleted(order)).isTrue();
        // the dispatcher never publishes the acked ticket again: still one receipt later on
        Thread.sleep(1000);
        assertThat(hot.receipts()).hasSize(1);
    }

    @Test
    void garbagePayloadsAreCountedAndIgnoredAndTheConsumerKeepsWorking() throws Exception {
        FakeDevice device = fakeDevice("bar-1");
        register(device.id, DeviceRole.DEVICE_ROLE_PRIMARY, "bar");
        double acksBefore = metrics.rejected("acks");
        double heartbeatsBefore = metrics.rejected("heartbeat");
        double alarmsBefore = metrics.rejected("alarms");
        double statusBefore = metrics.rejected("status");

        device.publish("acks", "not json at all");
        device.publish("acks", "{\"ticketId\":\"../../etc\",\"status\":\"PRINTED\"}");
        device.publish("heartbeat", "{\"paper\":\"SOGGY\"}");
        device.publish("alarms", "[1,2,3]");
        device.publish("status", "maybe");

        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(metrics.rejected("acks")).isEqualTo(acksBefore + 2);
                            assertThat(metrics.rejected("heartbeat"))
                                    .isEqualTo(heartbeatsBefore + 1);
                            assertThat(metrics.rejected("alarms")).isEqualTo(alarmsBefore + 1);
                            assertThat(metrics.rejected("status")).isEqualTo(statusBefore + 1);
                        });
        device.heartbeat();
        awaitPhase(device.id, DevicePhase.DEVICE_PHASE_ONLINE);
        assertThat(scrape()).contains("scanorder_mqtt_payloads_rejected_total{channel=\"acks\"");
    }

    @Test
    void registryIsIdempotentValidatesAndDeregisters() {
        String id = "kds-" + IDS.incrementAndGet();
        RegisterDeviceRequest request =
                RegisterDeviceRequest.newBuilder()
                        .setStoreCode(store.storeCode())
                        .setDeviceId(id)
                        .setType(DeviceType.DEVICE_TYPE_KDS_TABLET)
                        .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                        .addStations("cold")
                        .addStations("bar")
                        .setHeartbeatIntervalSeconds(10)
                        .build();
        DeviceHealth first = stub().registerDevice(request);
        DeviceHealth again = stub().registerDevice(request);
        assertThat(again).isEqualTo(first);
        assertThat(first.getPhase()).isEqualTo(DevicePhase.DEVICE_PHASE_PENDING);
        assertThat(first.getStationsList()).containsExactly("bar", "cold");
        assertThat(
                        stub().listDeviceHealth(
                                        ListDeviceHealthRequest.newBuilder()
                                                .setStoreCode(store.storeCode())
                                                .build())
                                .getDevicesList())
                .extracting(DeviceHealth::getDeviceId)
                .containsExactly(id);

        assertThatThrownBy(() -> stub().registerDevice(request.toBuilder().clearStations().build()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(
                        e ->
                                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                                        .isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("stations");
        assertThatThrownBy(
                        () ->
                                stub().registerDevice(
                                                request.toBuilder()
                                                        .setHeartbeatIntervalSeconds(0)
                                                        .build()))
                .hasMessageContaining("heartbeat_interval_seconds");
        assertThatThrownBy(
                        () ->
                                stub().registerDevice(
                                                request.toBuilder()
                                                        .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                                        .build()))
                .hasMessageContaining("printer is required");
        assertThatThrownBy(
                        () ->
                                stub().registerDevice(
                                                request.toBuilder().setStoreCode("999x").build()))
                .hasMessageContaining("store_code");

        DeregisterDeviceRequest dereg =
                DeregisterDeviceRequest.newBuilder()
                        .setStoreCode(store.storeCode())
                        .setDeviceId(id)
                        .build();
        assertThat(stub().deregisterDevice(dereg).getExisted()).isTrue();
        assertThat(stub().deregisterDevice(dereg).getExisted()).isFalse();
        assertThatThrownBy(() -> get(id))
                .satisfies(
                        e ->
                                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                                        .isEqualTo(Status.Code.NOT_FOUND));
    }

    // --- helpers ---

    private DeviceRegistryGrpc.DeviceRegistryBlockingStub stub() {
        return registry.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private String uniqueId(String name) {
        return name + "-" + IDS.incrementAndGet() + "-" + (System.nanoTime() % 100_000);
    }

    private PrinterAgent agent(String name) throws Exception {
        PrinterAgent agent = PrinterAgent.start(broker, store.storeCode(), uniqueId(name));
        running.add(agent);
        return agent;
    }

    private FakeDevice fakeDevice(String name) throws Exception {
        FakeDevice d = new FakeDevice(broker, store.storeCode(), uniqueId(name));
        running.add(d);
        return d;
    }

    private void register(String deviceId, DeviceRole role, String station) {
        register(deviceId, role, station, 1);
    }

    private void register(String deviceId, DeviceRole role, String station, int heartbeatSeconds) {
        stub().registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                .setRole(role)
                                .addStations(station)
                                .setHeartbeatIntervalSeconds(heartbeatSeconds)
                                .setPrinter(
                                        PrinterOptions.newBuilder()
                                                .setPaperWidthMm(80)
                                                .setCopies(1)
                                                .setCutter(true))
                                .build());
    }

    private DeviceHealth get(String deviceId) {
        return stub().getDeviceHealth(
                        GetDeviceHealthRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .build());
    }

    private void awaitPhase(String deviceId, DevicePhase phase) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(get(deviceId).getPhase()).isEqualTo(phase));
    }

    private static String scrape() {
        return given().accept("text/plain; version=0.0.4")
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private List<String> ticketStates(UUID order) throws SQLException {
        return strings(
                "SELECT state || ' ' || COALESCE(device_id, '') FROM kitchen_tickets"
                        + " WHERE order_id = ? ORDER BY station",
                order);
    }

    private List<String> ticketIds(UUID order) throws SQLException {
        return strings(
                "SELECT ticket_id::TEXT FROM kitchen_tickets WHERE order_id = ? ORDER BY station",
                order);
    }

    private List<String> events(UUID order) throws SQLException {
        return strings(
                "SELECT COALESCE(from_state, '') || '->' || to_state || ' ' || actor_kind"
                        + " FROM order_events WHERE order_id = ? ORDER BY occurred_at",
                order);
    }

    private boolean outboxCompleted(UUID order) throws SQLException {
        return strings(
                        "SELECT (o.completed_at IS NOT NULL)::TEXT FROM outbox o"
                                + " JOIN kitchen_tickets t ON t.ticket_id = o.aggregate_id"
                                + " WHERE t.order_id = ?",
                        order)
                .equals(List.of("true"));
    }

    private List<String> strings(String sql, UUID order) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A device played by a Paho client under its own credentials: records tickets it gets. */
    static final class FakeDevice implements AutoCloseable {
        final String id;
        final List<String> tickets = new CopyOnWriteArrayList<>();
        private final String root;
        private final MqttClient client;

        FakeDevice(MqttBroker broker, String storeCode, String id) throws Exception {
            this.id = id;
            this.root = "scanorder/" + storeCode + "/devices/" + id + "/";
            broker.addDevice(storeCode, id, "pw-" + id);
            client = new MqttClient(broker.uri(), id, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(id);
            options.setPassword(("pw-" + id).getBytes(StandardCharsets.UTF_8));
            // MqttClient.subscribe with a per-subscription listener recurses in Paho 1.2.5
            client.setCallback(
                    new MqttCallback() {
                        @Override
                        public void messageArrived(String topic, MqttMessage message) {
                            tickets.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                        }

                        @Override
                        public void disconnected(MqttDisconnectResponse response) {}

                        @Override
                        public void mqttErrorOccurred(MqttException exception) {}

                        @Override
                        public void deliveryComplete(IMqttToken token) {}

                        @Override
                        public void connectComplete(boolean reconnect, String serverURI) {}

                        @Override
                        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
                    });
            client.connect(options);
            client.subscribe(root + "tickets", 1);
        }

        void heartbeat() throws Exception {
            publish(
                    "heartbeat",
                    "{\"deviceId\":\""
                            + id
                            + "\",\"seq\":1,\"sentAt\":\""
                            + Instant.now()
                            + "\",\"paper\":\"OK\",\"cover\":\"CLOSED\",\"printer\":\"ONLINE\","
                            + "\"queueDepth\":0,\"agentVersion\":\"fake-1\"}");
        }

        void publish(String channel, String payload) throws Exception {
            client.publish(root + channel, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
