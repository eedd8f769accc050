package io.scanorder.order.kitchen;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device health at fleet scale against the real embedded HiveMQ broker and PostgreSQL: heartbeats
 * from many devices are all recorded, silent devices go offline on time while the others keep
 * beating, the offline sweep loses to a heartbeat that lands while it runs, and concurrent
 * registrations all succeed.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class DeviceHealthFleetIT {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject KitchenDevices devices;
    @Inject DeviceHealthUpdates health;
    @Inject MeterRegistry registry;
    @Inject KitchenConfig config;

    private OrderFixture.Store store;
    private MqttServiceClient mqtt;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        store = new OrderFixture(dataSource, transitions).store(null);
        mqtt =
                new MqttServiceClient(
                        MqttBroker.shared(),
                        "fleet-it-" + CLIENTS.incrementAndGet(),
                        "fleet-it-password");
        channel = OwnGrpcChannel.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        mqtt.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aBurstOfHeartbeatsFromFiveHundredDevicesIsRecordedUpToEachDevicesLast() throws Exception {
        int n = 500;
        int rounds = 3;
        for (int i = 0; i < n; i++) {
            devices.register(kds(device("burst", i), 300));
        }
        double recordedBefore = recordedHeartbeats();
        Instant start = Instant.now();
        // three heartbeats per device back to back: the last one (queueDepth and version = the
        // round) is what each device must end up with, whatever was coalesced in between
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < n; i++) {
                heartbeat(device("burst", i), round, "r" + round);
            }
        }

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(
                        () ->
                                assertThat(
                                                count(
                                                        "queue_depth = 3 AND agent_version = 'r3'"
                                                                + " AND online AND device_id LIKE"
                                                                + " 'burst-%'"))
                                        .isEqualTo(n));
        Map<String, Instant> last = lastHeartbeats("burst-%");
        assertThat(last).hasSize(n);
        assertThat(last.values()).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(start));
        // every heartbeat is either recorded or counted as superseded by a newer one
        assertThat(recordedHeartbeats() - recordedBefore)
                .isBetween((double) n, (double) n * rounds);
        // the first scrape of a fresh application can be slow on a busy machine
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () ->
                                assertThat(scrape())
                                        .containsPattern(
                                                "scanorder_device_heartbeats_recorded_total"
                                                        + "(\\{[^}]*\\})? [1-9]")
                                        .contains("scanorder_device_heartbeats_queued"));
    }

    @Test
    void silencedDevicesGoOfflineWithinThreeIntervalsAndASweepWhileTheOthersStayOnline()
            throws Exception {
        int n = 40;
        int silenced = 10;
        for (int i = 0; i < n; i++) {
            devices.register(kds(device("fleet", i), 1));
        }
        Set<Integer> quiet = ConcurrentHashMap.newKeySet();
        Map<String, Instant> lastSent = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread beating =
                new Thread(
                        () -> {
                            int seq = 0;
                            while (!Thread.currentThread().isInterrupted()) {
                                seq++;
                                try {
                                    for (int i = 0; i < n; i++) {
                                        if (!quiet.contains(i)) {
                                            String id = device("fleet", i);
                                            heartbeat(id, seq % 1000, "f");
                                            lastSent.put(id, Instant.now());
                                        }
                                    }
                                    Thread.sleep(400);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    failure.set(e);
                                    return;
                                }
                            }
                        },
                        "fleet-heartbeats");
        beating.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> count("online AND device_id LIKE 'fleet-%'") == n);
            double markedBefore = marked();
            for (int i = 0; i < silenced; i++) {
                quiet.add(i);
            }
            // the publisher may be in the middle of a round: let it finish it
            Thread.sleep(500);
            Map<String, Instant> silencedAt = new HashMap<>();
            for (int i = 0; i < silenced; i++) {
                silencedAt.put(device("fleet", i), lastSent.get(device("fleet", i)));
            }
            Map<String, Instant> offlineAt = new HashMap<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (offlineAt.size() < silenced && System.currentTimeMillis() < deadline) {
                Instant now = Instant.now();
                for (String id : offline("fleet-%")) {
                    offlineAt.putIfAbsent(id, now);
                }
                Thread.sleep(100);
            }
            assertThat(failure.get()).isNull();
            assertThat(offlineAt.keySet()).isEqualTo(silencedAt.keySet());
            Duration sweep = config.dispatch().healthCheckInterval();
            // 3 intervals of 1 s, plus one sweep period, plus slack for a busy 2-core machine
            Duration allowed = Duration.ofSeconds(3).plus(sweep).plus(Duration.ofSeconds(2));
            for (Map.Entry<String, Instant> e : offlineAt.entrySet()) {
                Duration took = Duration.between(silencedAt.get(e.getKey()), e.getValue());
                assertThat(took)
                        .as("%s went offline %s after its last heartbeat", e.getKey(), took)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(3))
                        .isLessThanOrEqualTo(allowed);
            }
            assertThat(count("online AND device_id LIKE 'fleet-%'")).isEqualTo(n - silenced);
            assertThat(marked() - markedBefore).isGreaterThanOrEqualTo(silenced);
        } finally {
            beating.interrupt();
            beating.join(5_000);
        }
    }

    @Test
    void aHeartbeatRecordedWhileTheSweepRunsKeepsItsDeviceOnline() throws Exception {
        String revived = device("race", 0);
        String silent = device("race", 1);
        devices.register(kds(revived, 300));
        devices.register(kds(silent, 300));
        Instant old = Instant.now().minusSeconds(5);
        assertThat(health.recordHeartbeats(List.of(beat(revived, old), beat(silent, old))))
                .isEqualTo(2);

        // a sweep as of 1,000 s from now finds both silent (300 s interval, 3 missed); before it
        // marks them, a heartbeat of one of them is recorded
        Instant future = Instant.now().plusSeconds(1_000);
        AtomicInteger written = new AtomicInteger();
        List<String> marked =
                health.markSilentDevicesOffline(
                        future,
                        () ->
                                written.set(
                                        health.recordHeartbeats(
                                                List.of(beat(revived, Instant.now())))));

        assertThat(written.get()).isEqualTo(1);
        assertThat(marked)
                .contains(store.storeCode() + "/" + silent)
                .doesNotContain(store.storeCode() + "/" + revived);
        assertThat(offline("race-%")).containsExactly(silent);
        assertThat(count("online AND device_id = '" + revived + "'")).isEqualTo(1);
    }

    @Test
    void aHeartbeatOlderThanTheRecordedOneIsNotWrittenOverIt() throws Exception {
        String id = device("order", 0);
        devices.register(kds(id, 300));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(health.recordHeartbeats(List.of(beat(id, now)))).isEqualTo(1);
        assertThat(health.recordHeartbeats(List.of(beat(id, now.minusSeconds(1))))).isZero();
        assertThat(lastHeartbeats(id)).containsEntry(id, now);
    }

    @Test
    void concurrentRegistrationsOfTheSameAndDifferentDevicesAllSucceed() throws Exception {
        var registry = DeviceRegistryGrpc.newBlockingStub(channel);
        List<RegisterDeviceRequest> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(request(device("reg", i), List.of("bar")));
        }
        for (int copy = 0; copy < 8; copy++) {
            for (int i = 0; i < 4; i++) {
                calls.add(request(device("same", i), List.of("bar", "cold")));
            }
            // one device registered concurrently with two different station lists
            calls.add(
                    request(
                            device("flip", 0),
                            copy % 2 == 0 ? List.of("hot") : List.of("bar", "cold")));
        }
        java.util.Collections.shuffle(calls, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<DeviceHealth>> results = new ArrayList<>();
            for (RegisterDeviceRequest call : calls) {
                results.add(
                        pool.submit(
                                () ->
                                        registry.withDeadlineAfter(30, TimeUnit.SECONDS)
                                                .registerDevice(call)));
            }
            for (Future<DeviceHealth> f : results) {
                // a refused call (ABORTED/UNAVAILABLE after exhausted retries) fails the test here
                assertThat(f.get(60, TimeUnit.SECONDS).getDeviceId()).isNotEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        List<DeviceHealth> listed =
                registry.listDeviceHealth(
                                ListDeviceHealthRequest.newBuilder()
                                        .setStoreCode(store.storeCode())
                                        .build())
                        .getDevicesList();
        assertThat(listed).hasSize(45);
        assertThat(listed)
                .filteredOn(d -> d.getDeviceId().startsWith("same-"))
                .allSatisfy(d -> assertThat(d.getStationsList()).containsExactly("bar", "cold"));
        assertThat(listed)
                .filteredOn(d -> d.getDeviceId().startsWith("flip-"))
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.getStationsList())
                                        .isIn(List.of("hot"), List.of("bar", "cold")));
    }

    // --- helpers ---

    private static String device(String prefix, int i) {
        return prefix + "-" + i;
    }

    private DeviceRegistration kds(String id, int intervalSeconds) {
        return new DeviceRegistration(
                store.storeCode(),
                id,
                "KDS_TABLET",
                "BACKUP",
                List.of("fleet"),
                intervalSeconds,
                null,
                1,
                false);
    }

    private RegisterDeviceRequest request(String id, List<String> stations) {
        return RegisterDeviceRequest.newBuilder()
                .setStoreCode(store.storeCode())
                .setDeviceId(id)
                .setType(DeviceType.DEVICE_TYPE_KDS_TABLET)
                .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                .addAllStations(stations)
                .setHeartbeatIntervalSeconds(30)
                .build();
    }

    private HeartbeatQueue.Beat beat(String id, Instant at) {
        return new HeartbeatQueue.Beat(
                store.storeCode(),
                id,
                new DeviceHealthUpdates.Heartbeat("OK", "CLOSED", "ONLINE", 0, "it"),
                at);
    }

    /** Publishes a heartbeat in the device agent's format on the device's heartbeat topic. */
    private void heartbeat(String id, int depth, String version) throws Exception {
        String json =
                "{\"deviceId\":\""
                        + id
                        + "\",\"seq\":"
                        + depth
                        + ",\"sentAt\":\""
                        + Instant.now()
                        + "\",\"paper\":\"OK\",\"cover\":\"CLOSED\",\"printer\":\"ONLINE\","
                        + "\"queueDepth\":"
                        + depth
                        + ",\"agentVersion\":\""
                        + version
                        + "\"}";
        String topic = "scanorder/" + store.storeCode() + "/devices/" + id + "/heartbeat";
        for (int attempt = 1; ; attempt++) {
            try {
                mqtt.publish(topic, json.getBytes(StandardCharsets.UTF_8));
                return;
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // Paho's synchronous publish can return before it frees the in-flight slot, so a
                // tight publishing loop sometimes gets "too many publishes in progress"
                if (e.getReasonCode() != 32202 || attempt == 100) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    private int count(String condition) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM kitchen_devices WHERE store_id = ? AND "
                                        + condition)) {
            ps.setObject(1, store.storeId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<String> offline(String like) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT device_id FROM kitchen_devices WHERE store_id = ?"
                                        + " AND NOT online AND device_id LIKE ?"
                                        + " ORDER BY device_id")) {
            ps.setObject(1, store.storeId());
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private Map<String, Instant> lastHeartbeats(String like) throws SQLException {
        Map<String, Instant> last = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT device_id, last_heartbeat_at FROM kitchen_devices"
                                        + " WHERE store_id = ? AND device_id LIKE ?"
                                        + " AND last_heartbeat_at IS NOT NULL")) {
            ps.setObject(1, store.storeId());
            ps.setString(2, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        return last;
    }

    private double recordedHeartbeats() {
        var c = registry.find("scanorder.device.heartbeats.recorded").counter();
        return c == null ? 0 : c.count();
    }

    private double marked() {
        var c = registry.find("scanorder.device.offline.marked").counter();
        return c == null ? 0 : c.count();
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
}
