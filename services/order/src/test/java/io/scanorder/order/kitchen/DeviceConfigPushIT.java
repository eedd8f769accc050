package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.DeregisterDeviceRequest;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import io.scanorder.proto.order.v1.PrinterOptions;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Config push from the order service: RegisterDevice publishes the device's settings retained on
 * its config topic, the real printer agent applies them and reports the revision in its heartbeat,
 * and the registry shows whether the device runs with the latest settings. Embedded HiveMQ with the
 * ScanOrder extension and real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class DeviceConfigPushIT {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject KitchenMetrics metrics;
    @Inject Transactions transactions;
    @Inject MeterRegistry registry;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ManagedChannel channel;
    private OrderFixture.Store store;
    private MqttBroker broker;
    private String deviceId;

    @BeforeEach
    void setUp() throws Exception {
        channel = OwnGrpcChannel.open();
        store = new OrderFixture(dataSource, transitions).store(null);
        broker = MqttBroker.shared();
        deviceId = "cfg-printer-" + IDS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String configTopic() {
        return KitchenTopics.config(store.storeCode(), deviceId);
    }

    private MqttServiceClient watchConfig() throws Exception {
        MqttServiceClient client =
                new MqttServiceClient(broker, "config-push-it", "config-push-it-password")
                        .subscribe(configTopic());
        running.add(client);
        return client;
    }

    private DeviceRegistryGrpc.DeviceRegistryBlockingStub registry() {
        return DeviceRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private DeviceHealth register(int widthMm, int copies, boolean cutter, int heartbeatS) {
        return registry()
                .registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                                .addStations("hot")
                                .setHeartbeatIntervalSeconds(heartbeatS)
                                .setPrinter(
                                        PrinterOptions.newBuilder()
                                                .setPaperWidthMm(widthMm)
                                                .setCopies(copies)
                                                .setCutter(cutter))
                                .build());
    }

    private DeviceHealth health() {
        return registry()
                .getDeviceHealth(
                        GetDeviceHealthRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .build());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("config document is not JSON: " + text, e);
        }
    }

    private List<String> pushedRevisions(MqttServiceClient client) {
        return client.on(configTopic()).stream()
                .map(r -> json(r.text()).get("revision").asText())
                .toList();
    }

    private double configGauge() {
        metrics.refresh(transactions);
        Gauge g =
                registry.find("scanorder.device.config.current")
                        .tags("store", store.storeCode(), "device", deviceId)
                        .gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void registeredPrinterGetsItsSettingsAndTheRegistryShowsWhenItAppliedThem() throws Exception {
        MqttServiceClient watcher = watchConfig();
        DeviceHealth registered = register(58, 2, false, 1);

        await().atMost(WAIT).until(() -> watcher.on(configTopic()).size() == 1);
        JsonNode doc = json(watcher.on(configTopic()).get(0).text());
        assertThat(doc.get("schema").asInt()).isEqualTo(1);
        assertThat(doc.get("revision").asText()).isEqualTo(registered.getConfigRevision());
        assertThat(doc.get("type").asText()).isEqualTo("PRINTER");
        assertThat(doc.get("role").asText()).isEqualTo("PRIMARY");
        assertThat(doc.get("stations").toString()).isEqualTo("[\"hot\"]");
        assertThat(doc.get("heartbeatIntervalSeconds").asInt()).isEqualTo(1);
        assertThat(doc.get("printer").toString())
                .isEqualTo("{\"paperWidthMm\":58,\"copies\":2,\"cut\":false}");
        // nobody has applied it yet
        assertThat(registered.getAppliedConfigRevision()).isEmpty();
        assertThat(registered.getConfigCurrent()).isFalse();
        assertThat(configGauge()).isEqualTo(0.0);

        // the agent starts later: the retained document reaches it at once
        PrinterAgent agent = PrinterAgent.start(broker, store.storeCode(), deviceId);
        running.add(agent);

        await().atMost(WAIT).until(() -> health().getConfigCurrent());
        assertThat(health().getAppliedConfigRevision()).isEqualTo(registered.getConfigRevision());
        assertThat(configGauge()).isEqualTo(1.0);

        // new settings: the agent has not reported them yet the moment they are registered
        DeviceHealth changed = register(80, 1, true, 1);
        assertThat(changed.getConfigRevision()).isNotEqualTo(registered.getConfigRevision());
        await().atMost(WAIT)
                .until(
                        () ->
                                health().getAppliedConfigRevision()
                                        .equals(changed.getConfigRevision()));
        assertThat(health().getConfigCurrent()).isTrue();
    }

    @Test
    void registerDeviceWithChangedPrinterOptionsRepublishesAndTheSameOptionsDoNot()
            throws Exception {
        MqttServiceClient watcher = watchConfig();
        String first = register(80, 1, true, 15).getConfigRevision();
        String second = register(58, 3, true, 15).getConfigRevision();
        String same = register(58, 3, true, 15).getConfigRevision();
        String third = register(58, 3, true, 30).getConfigRevision();

        assertThat(same).isEqualTo(second);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        // one worker publishes in order: a republished second revision would sit before the third
        await().atMost(WAIT).until(() -> pushedRevisions(watcher).size() >= 3);
        assertThat(pushedRevisions(watcher)).containsExactly(first, second, third);
        JsonNode latest = json(watcher.on(configTopic()).get(2).text());
        assertThat(latest.get("printer").get("paperWidthMm").asInt()).isEqualTo(58);
        assertThat(latest.get("printer").get("copies").asInt()).isEqualTo(3);
        assertThat(latest.get("heartbeatIntervalSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void deregisteringClearsTheRetainedConfig() throws Exception {
        MqttServiceClient watcher = watchConfig();
        register(80, 1, true, 15);
        await().atMost(WAIT).until(() -> watcher.on(configTopic()).size() == 1);

        registry()
                .deregisterDevice(
                        DeregisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .build());

        await().atMost(WAIT).until(() -> watcher.on(configTopic()).size() == 2);
        assertThat(watcher.on(configTopic()).get(1).text()).isEmpty();
        // a device connecting now finds nothing retained; a later publish proves the
        // subscription is live, so the missing retained message is not a slow delivery
        MqttServiceClient late = watchConfig();
        try (MqttServiceClient probe =
                new MqttServiceClient(broker, "config-push-it", "config-push-it-password")) {
            probe.publish(configTopic(), "{\"probe\":true}".getBytes());
        }
        await().atMost(WAIT).until(() -> !late.on(configTopic()).isEmpty());
        assertThat(late.on(configTopic()))
                .extracting(r -> r.text())
                .containsExactly("{\"probe\":true}");
    }
}
