package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.DevicePhase;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PrinterOptions;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.scanorder.testkit.MqttBroker;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kitchen dispatch under load, with the real agents on the embedded broker and PostgreSQL: many
 * acceptances at once while the dispatcher claims, publishes and applies acks.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class KitchenDispatchLoadIT {
    private static final Logger LOG = Logger.getLogger(KitchenDispatchLoadIT.class);
    private static final int ORDERS = 200;
    private static final Pattern MARKER = Pattern.compile("load-(\\d{3})");
    private static final Actor STAFF =
            Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("staff-load").build();

    @Inject DataSource dataSource;
    @Inject MeterRegistry registry;
    @Inject OrderTransitions transitions;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ManagedChannel channel;
    private OrderFixture fixture;
    private OrderFixture.Store store;

    @BeforeEach
    void setUp() throws SQLException {
        channel = OwnGrpcChannel.open();
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredOrdersAcceptedAtOnceAllSucceedAndPrintExactlyOneTicketPerStation()
            throws Exception {
        PrinterAgent hot = agent("load-hot");
        PrinterAgent cold = agent("load-cold");
        register(hot.deviceId, "hot");
        register(cold.deviceId, "cold");
        awaitOnline(hot.deviceId);
        awaitOnline(cold.deviceId);

        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            UUID order = fixture.orderIn(store, OrderState.PAID);
            String marker = String.format("load-%03d", i);
            KitchenTestData.addLine(dataSource, order, 2, "hot", "Mapo tofu", 1, marker);
            KitchenTestData.addLine(dataSource, order, 3, "cold", "Cucumber", 1, marker);
            orders.add(order);
        }

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        double retriesBefore = retries();
        long burstStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (UUID order : orders) {
                pool.execute(
                        () -> {
                            try {
                                start.await();
                                OrderServiceGrpc.newBlockingStub(channel)
                                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                                        .acceptOrder(
                                                AcceptOrderRequest.newBuilder()
                                                        .setOrderId(order.toString())
                                                        .setActor(STAFF)
                                                        .build());
                            } catch (StatusRuntimeException e) {
                                failures.add(order + ": " + e.getStatus());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        // For the record (docs/database.md): 40001 retries of every unit of work while the
        // acceptances ran, the dispatcher's included. Before V12 the acceptances alone needed
        // ~400; after it they need none and the dispatcher a few dozen.
        LOG.infof(
                "%d AcceptOrder calls took %d ms and %.0f transaction retries",
                ORDERS, (System.nanoTime() - burstStart) / 1_000_000, retries() - retriesBefore);
        assertThat(failures).as("AcceptOrder calls that failed").isEmpty();

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(hot.receipts()).hasSizeGreaterThanOrEqualTo(ORDERS);
                            assertThat(cold.receipts()).hasSizeGreaterThanOrEqualTo(ORDERS);
                            assertThat(ackedTickets(orders)).isEqualTo(2 * ORDERS);
                        });
        // nothing more is printed once every ticket is acked
        Thread.sleep(4_000);
        assertThat(markerCounts(hot.receipts()))
                .hasSize(ORDERS)
                .allSatisfy((marker, n) -> assertThat(n).as(marker).isEqualTo(1L));
        assertThat(markerCounts(cold.receipts()))
                .hasSize(ORDERS)
                .allSatisfy((marker, n) -> assertThat(n).as(marker).isEqualTo(1L));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(orders)
                                        .allSatisfy(
                                                o ->
                                                        assertThat(fixture.stateOf(o))
                                                                .isEqualTo(OrderState.COOKING)));
    }

    // --- helpers ---

    private double retries() {
        return registry.counter("scanorder.db.transaction.retries").count();
    }

    private PrinterAgent agent(String name) throws Exception {
        PrinterAgent agent =
                PrinterAgent.start(
                        MqttBroker.shared(),
                        store.storeCode(),
                        name + "-" + (System.nanoTime() % 100_000));
        running.add(agent);
        return agent;
    }

    private DeviceRegistryGrpc.DeviceRegistryBlockingStub registry() {
        return DeviceRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private void register(String deviceId, String station) {
        registry()
                .registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                                .addStations(station)
                                .setHeartbeatIntervalSeconds(1)
                                .setPrinter(
                                        PrinterOptions.newBuilder()
                                                .setPaperWidthMm(80)
                                                .setCopies(1)
                                                .setCutter(true))
                                .build());
    }

    private void awaitOnline(String deviceId) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(
                        () ->
                                assertThat(
                                                registry()
                                                        .getDeviceHealth(
                                                                GetDeviceHealthRequest.newBuilder()
                                                                        .setStoreCode(
                                                                                store.storeCode())
                                                                        .setDeviceId(deviceId)
                                                                        .build())
                                                        .getPhase())
                                        .isEqualTo(DevicePhase.DEVICE_PHASE_ONLINE));
    }

    /** How often each order's marker was printed. */
    private static Map<String, Long> markerCounts(List<String> receipts) {
        return receipts.stream()
                .map(MARKER::matcher)
                .filter(Matcher::find)
                .map(m -> m.group())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private int ackedTickets(List<UUID> orders) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM kitchen_tickets t JOIN outbox o"
                                        + " ON o.aggregate_id = t.ticket_id"
                                        + " WHERE t.order_id = ANY (?) AND t.state = 'ACKED'"
                                        + " AND o.completed_at IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("uuid", orders.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
