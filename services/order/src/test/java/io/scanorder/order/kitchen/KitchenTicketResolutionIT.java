package io.scanorder.order.kitchen;

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
import io.scanorder.proto.order.v1.ResolveTicketRequest;
import io.scanorder.proto.order.v1.ResolveTicketResponse;
import io.scanorder.proto.order.v1.TicketResolution;
import io.scanorder.testkit.MqttBroker;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ResolveTicket end to end: a ticket a device answered INTERRUPTED (parked as maybe printed) is
 * resolved by staff over gRPC, with the embedded HiveMQ broker, real PostgreSQL and devices played
 * by Paho clients under their own credentials.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class KitchenTicketResolutionIT {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Actor STAFF =
            Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("staff-li").build();

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject TicketResolutions resolutions;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ManagedChannel channel;
    private DeviceRegistryGrpc.DeviceRegistryBlockingStub registry;
    private OrderServiceGrpc.OrderServiceBlockingStub orders;
    private OrderFixture fixture;
    private OrderFixture.Store store;
    private MqttBroker broker;

    @BeforeEach
    void setUp() throws SQLException {
        channel = OwnGrpcChannel.open();
        registry = DeviceRegistryGrpc.newBlockingStub(channel);
        orders = OrderServiceGrpc.newBlockingStub(channel);
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

    /** An order whose one ticket the primary answered INTERRUPTED, with its two printers. */
    private record Parked(
            UUID order,
            UUID ticket,
            KitchenDispatchIT.FakeDevice primary,
            KitchenDispatchIT.FakeDevice backup) {}

    @Test
    void aTicketFoundOnPaperIsPrintedAndItsOrderMovesToCookingWithoutAnotherPrint()
            throws Exception {
        Parked p = parked("onpaper");
        double before = resolutions.resolved(TicketOutbox.Resolution.ON_PAPER);

        ResolveTicketResponse r = resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_ON_PAPER);

        assertThat(r.getTicket().getState()).isEqualTo("ACKED");
        assertThat(r.getTicket().getDeviceId()).isEqualTo(p.primary().id);
        assertThat(r.getTicket().getFailureReason()).isEmpty();
        assertThat(r.getOrder().getState())
                .isEqualTo(io.scanorder.proto.order.v1.OrderState.ORDER_STATE_COOKING);
        assertThat(fixture.stateOf(p.order())).isEqualTo(OrderState.COOKING);
        assertThat(ticketRow(p.ticket()))
                .containsExactly("ACKED " + p.primary().id + " - completed");
        assertThat(events(p.order()))
                .anyMatch(
                        e ->
                                e.startsWith(
                                        "DISPATCHING->DISPATCHING STAFF staff-li kitchen ticket "
                                                + p.ticket()
                                                + " resolved ON_PAPER (station "))
                .contains("DISPATCHING->COOKING STAFF staff-li every kitchen ticket printed");
        assertThat(resolutions.resolved(TicketOutbox.Resolution.ON_PAPER)).isEqualTo(before + 1);

        // the same answer again changes nothing; the other answer is refused, naming the state
        int eventCount = events(p.order()).size();
        ResolveTicketResponse again =
                resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_ON_PAPER);
        assertThat(again.getTicket().getState()).isEqualTo("ACKED");
        assertThat(events(p.order())).hasSize(eventCount);
        assertThat(resolutions.resolved(TicketOutbox.Resolution.ON_PAPER)).isEqualTo(before + 1);
        assertThatThrownBy(() -> resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_REPRINT))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.FAILED_PRECONDITION);
                            assertThat(e.getStatus().getDescription())
                                    .contains(p.ticket().toString(), "is ACKED");
                        });

        // nothing was printed anywhere again
        Thread.sleep(2_000);
        assertThat(p.primary().tickets).hasSize(1);
        assertThat(p.backup().tickets).isEmpty();
    }

    @Test
    void aReprintIsPublishedToThePrimaryOnceMoreAndItsPrintedAckCompletesTheOrder()
            throws Exception {
        Parked p = parked("reprint");
        double before = resolutions.resolved(TicketOutbox.Resolution.REPRINT);

        ResolveTicketResponse r = resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_REPRINT);
        assertThat(r.getTicket().getState()).isEqualTo("PENDING");
        assertThat(r.getOrder().getState())
                .isEqualTo(io.scanorder.proto.order.v1.OrderState.ORDER_STATE_DISPATCHING);
        assertThat(resolutions.resolved(TicketOutbox.Resolution.REPRINT)).isEqualTo(before + 1);

        // routed like a fresh ticket: the healthy primary gets it again
        await().atMost(WAIT).until(() -> p.primary().tickets.size() == 2);
        assertThat(p.primary().tickets.get(1)).contains(p.ticket().toString());
        p.primary().publish("acks", printed(p.ticket()));
        await().atMost(WAIT).until(() -> fixture.stateOf(p.order()) == OrderState.COOKING);
        assertThat(ticketRow(p.ticket()))
                .containsExactly("ACKED " + p.primary().id + " - completed");

        // asking for the reprint again answers the current state and prints nothing more
        ResolveTicketResponse again =
                resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_REPRINT);
        assertThat(again.getTicket().getState()).isEqualTo("ACKED");
        assertThat(resolutions.resolved(TicketOutbox.Resolution.REPRINT)).isEqualTo(before + 1);
        Thread.sleep(2_000);
        assertThat(p.primary().tickets).as("one extra print only").hasSize(2);
        assertThat(p.backup().tickets).isEmpty();
        assertThat(events(p.order())).filteredOn(e -> e.contains("resolved REPRINT")).hasSize(1);
    }

    @Test
    void aReprintOnANamedDeviceGoesToThatDevice() throws Exception {
        Parked p = parked("named");

        ResolveTicketResponse r =
                orders.resolveTicket(
                        ResolveTicketRequest.newBuilder()
                                .setTicketId(p.ticket().toString())
                                .setOutcome(TicketResolution.TICKET_RESOLUTION_REPRINT)
                                .setActor(STAFF)
                                .setReason("primary jammed")
                                .setDeviceId(p.backup().id)
                                .build());
        assertThat(r.getTicket().getDeviceId()).isEqualTo(p.backup().id);

        await().atMost(WAIT).until(() -> p.backup().tickets.size() == 1);
        assertThat(p.backup().tickets.get(0)).contains(p.ticket().toString());
        p.backup().publish("acks", printed(p.ticket()));
        await().atMost(WAIT).until(() -> fixture.stateOf(p.order()) == OrderState.COOKING);
        assertThat(ticketRow(p.ticket()))
                .containsExactly("ACKED " + p.backup().id + " - completed");
        assertThat(p.primary().tickets).hasSize(1);
        assertThat(events(p.order()))
                .anyMatch(
                        e ->
                                e.contains("resolved REPRINT")
                                        && e.contains("reprint on " + p.backup().id)
                                        && e.endsWith(": primary jammed"));
    }

    @Test
    void resolveTicketRefusesWhatItCannotResolveWithAStatusThatSaysWhy() throws Exception {
        assertCode(
                () -> resolve(UUID.randomUUID(), TicketResolution.TICKET_RESOLUTION_ON_PAPER),
                Status.Code.NOT_FOUND,
                "does not exist");
        assertCode(
                () ->
                        orders.resolveTicket(
                                ResolveTicketRequest.newBuilder()
                                        .setTicketId("not-a-uuid")
                                        .setOutcome(TicketResolution.TICKET_RESOLUTION_ON_PAPER)
                                        .setActor(STAFF)
                                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "ticket_id");

        // a ticket still waiting for its device's answer is not parked
        KitchenDispatchIT.FakeDevice printer = fakeDevice("sent");
        register(printer.id, DeviceRole.DEVICE_ROLE_PRIMARY, "grill");
        printer.heartbeat();
        awaitPhase(printer.id);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        onlyStation(order, "grill");
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> printer.tickets.size() >= 1);
        UUID sent = ticketOf(order);
        assertCode(
                () -> resolve(sent, TicketResolution.TICKET_RESOLUTION_ON_PAPER),
                Status.Code.FAILED_PRECONDITION,
                "is SENT");

        Parked p = parked("errors");
        assertCode(
                () -> resolve(p.ticket(), TicketResolution.TICKET_RESOLUTION_UNSPECIFIED),
                Status.Code.INVALID_ARGUMENT,
                "outcome");
        assertCode(
                () ->
                        orders.resolveTicket(
                                ResolveTicketRequest.newBuilder()
                                        .setTicketId(p.ticket().toString())
                                        .setOutcome(TicketResolution.TICKET_RESOLUTION_ON_PAPER)
                                        .setActor(
                                                Actor.newBuilder()
                                                        .setKind(ActorKind.ACTOR_KIND_DINER)
                                                        .setId("o-diner"))
                                        .build()),
                Status.Code.PERMISSION_DENIED,
                "ACTOR_KIND_STAFF");
        assertCode(
                () ->
                        orders.resolveTicket(
                                ResolveTicketRequest.newBuilder()
                                        .setTicketId(p.ticket().toString())
                                        .setOutcome(TicketResolution.TICKET_RESOLUTION_REPRINT)
                                        .setActor(STAFF)
                                        .setDeviceId("no-such-printer")
                                        .build()),
                Status.Code.NOT_FOUND,
                "no-such-printer");
        assertCode(
                () ->
                        orders.resolveTicket(
                                ResolveTicketRequest.newBuilder()
                                        .setTicketId(p.ticket().toString())
                                        .setOutcome(TicketResolution.TICKET_RESOLUTION_ON_PAPER)
                                        .setActor(STAFF)
                                        .setDeviceId(p.backup().id)
                                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "device_id");
        // none of the refusals touched the parked ticket
        assertThat(ticketRow(p.ticket()))
                .containsExactly("FAILED " + p.primary().id + " INTERRUPTED completed");
        assertThat(fixture.stateOf(p.order())).isEqualTo(OrderState.DISPATCHING);
    }

    /** Registers a primary and a backup for a new station, accepts an order, parks its ticket. */
    private Parked parked(String name) throws Exception {
        String station = name + IDS.incrementAndGet();
        KitchenDispatchIT.FakeDevice primary = fakeDevice(name + "-primary");
        KitchenDispatchIT.FakeDevice backup = fakeDevice(name + "-backup");
        register(primary.id, DeviceRole.DEVICE_ROLE_PRIMARY, station);
        register(backup.id, DeviceRole.DEVICE_ROLE_BACKUP, station);
        primary.heartbeat();
        backup.heartbeat();
        awaitPhase(primary.id);
        awaitPhase(backup.id);
        UUID order = fixture.orderIn(store, OrderState.PAID);
        onlyStation(order, station);
        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        await().atMost(WAIT).until(() -> primary.tickets.size() == 1);
        UUID ticket = ticketOf(order);
        // as a real agent does, answer once the publish is recorded
        await().atMost(WAIT).until(() -> ticketRow(ticket).get(0).startsWith("SENT "));
        primary.publish(
                "acks",
                "{\"ticketId\":\""
                        + ticket
                        + "\",\"status\":\"FAILED\",\"reason\":\"INTERRUPTED\","
                        + "\"detail\":\"agent stopped while the job was being sent\"}");
        await().atMost(WAIT)
                .until(
                        () ->
                                ticketRow(ticket)
                                        .equals(
                                                List.of(
                                                        "FAILED "
                                                                + primary.id
                                                                + " INTERRUPTED completed")));
        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.DISPATCHING);
        return new Parked(order, ticket, primary, backup);
    }

    private ResolveTicketResponse resolve(UUID ticket, TicketResolution outcome) {
        return orders.withDeadlineAfter(20, TimeUnit.SECONDS)
                .resolveTicket(
                        ResolveTicketRequest.newBuilder()
                                .setTicketId(ticket.toString())
                                .setOutcome(outcome)
                                .setActor(STAFF)
                                .build());
    }

    private static String printed(UUID ticket) {
        return "{\"ticketId\":\"" + ticket + "\",\"status\":\"PRINTED\"}";
    }

    private static void assertCode(Runnable call, Status.Code code, String detail) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(e.getStatus().getDescription()).contains(detail);
                        });
    }

    private KitchenDispatchIT.FakeDevice fakeDevice(String name) throws Exception {
        KitchenDispatchIT.FakeDevice d =
                new KitchenDispatchIT.FakeDevice(
                        broker,
                        store.storeCode(),
                        name + "-" + IDS.incrementAndGet() + "-" + (System.nanoTime() % 100_000));
        running.add(d);
        return d;
    }

    private void register(String deviceId, DeviceRole role, String station) {
        registry.withDeadlineAfter(20, TimeUnit.SECONDS)
                .registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(deviceId)
                                .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                .setRole(role)
                                .addStations(station)
                                // long enough that the one heartbeat of a fake device keeps it
                                // online
                                .setHeartbeatIntervalSeconds(60)
                                .setPrinter(
                                        PrinterOptions.newBuilder()
                                                .setPaperWidthMm(80)
                                                .setCopies(1)
                                                .setCutter(true))
                                .build());
    }

    private void awaitPhase(String deviceId) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(
                        () ->
                                assertThat(
                                                registry.withDeadlineAfter(20, TimeUnit.SECONDS)
                                                        .getDeviceHealth(
                                                                GetDeviceHealthRequest.newBuilder()
                                                                        .setStoreCode(
                                                                                store.storeCode())
                                                                        .setDeviceId(deviceId)
                                                                        .build())
                                                        .getPhase())
                                        .isEqualTo(DevicePhase.DEVICE_PHASE_ONLINE));
    }

    /** Moves the fixture order's one line to {@code station}: the order gets one ticket. */
    private void onlyStation(UUID order, String station) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE order_lines SET station = ? WHERE order_id = ?")) {
            c.setAutoCommit(true);
            ps.setString(1, station);
            ps.setObject(2, order);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private UUID ticketOf(UUID order) throws SQLException {
        return UUID.fromString(
                strings("SELECT ticket_id::TEXT FROM kitchen_tickets WHERE order_id = ?", order)
                        .get(0));
    }

    /** "state device failure_reason|- completed|open" of a ticket and its outbox row. */
    private List<String> ticketRow(UUID ticket) throws SQLException {
        return strings(
                "SELECT t.state || ' ' || COALESCE(t.device_id, '') || ' '"
                        + " || COALESCE(t.failure_reason, '-') || ' '"
                        + " || CASE WHEN o.completed_at IS NULL THEN 'open' ELSE 'completed' END"
                        + " FROM kitchen_tickets t JOIN outbox o ON o.aggregate_id = t.ticket_id"
                        + " WHERE t.ticket_id = ?",
                ticket);
    }

    private List<String> events(UUID order) throws SQLException {
        return strings(
                "SELECT COALESCE(from_state, '') || '->' || to_state || ' ' || actor_kind || ' '"
                        + " || actor_id || ' ' || reason FROM order_events WHERE order_id = ?"
                        + " ORDER BY occurred_at, event_id",
                order);
    }

    private List<String> strings(String sql, UUID id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
