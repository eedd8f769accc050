package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kitchen tickets are written with the acceptance, in its transaction, against real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class KitchenTicketsIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject Transactions transactions;
    @Inject TicketOutbox outbox;

    private OrderFixture fixture;
    private OrderFixture.Store store;

    @BeforeEach
    void freshStore() throws SQLException {
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
    }

    @Test
    void acceptingAnOrderWritesOneTicketAndOneOutboxRowPerStation() throws Exception {
        UUID order = fixture.orderIn(store, OrderState.PAID);
        KitchenTestData.addLine(dataSource, order, 2, "cold", "Smashed cucumber", 1, "");
        KitchenTestData.addLine(dataSource, order, 3, "hot", "Mapo tofu", 3, "no pepper");

        transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "go");

        List<String[]> tickets = tickets(order);
        assertThat(tickets).extracting(t -> t[1]).containsExactly("cold", "hot");
        assertThat(outboxTopics(order))
                .hasSize(2)
                .allSatisfy(t -> assertThat(t).startsWith("scanorder/" + store.storeCode() + "/"));
        TicketCodec agentCodec = new TicketCodec();
        List<KitchenTicket> decoded = new ArrayList<>();
        for (byte[] payload : outboxPayloads(order)) {
            decoded.add(agentCodec.decode(payload));
        }
        KitchenTicket hot =
                decoded.stream().filter(t -> t.station().equals("hot")).findFirst().orElseThrow();
        assertThat(hot.lines())
                .extracting(KitchenTicket.Line::name)
                .containsExactly("Beef noodles", "Mapo tofu");
        assertThat(hot.lines().get(1).notes()).isEqualTo("no pepper");
        assertThat(hot.storeCode()).isEqualTo(store.storeCode());
        assertThat(hot.table()).isEqualTo("0001-0001");
        assertThat(decoded)
                .extracting(KitchenTicket::ticketId)
                .containsExactlyInAnyOrderElementsOf(tickets.stream().map(t -> t[0]).toList());
    }

    @Test
    void aRolledBackAcceptanceLeavesNeitherTicketsNorOutboxRows() throws Exception {
        UUID order = fixture.orderIn(store, OrderState.PAID);

        assertThatThrownBy(
                        () ->
                                transactions.inTransaction(
                                        "accept-then-fail",
                                        c -> {
                                            transitions.moveIn(
                                                    c,
                                                    order,
                                                    OrderState.ACCEPTED,
                                                    OrderFixture.STAFF,
                                                    "go");
                                            assertThat(count(c, order)).isEqualTo(1);
                                            throw new IllegalStateException("boom after accept");
                                        }))
                .hasMessageContaining("boom after accept");

        assertThat(fixture.stateOf(order)).isEqualTo(OrderState.PAID);
        assertThat(tickets(order)).isEmpty();
        assertThat(outboxTopics(order)).isEmpty();
    }

    @Test
    void movesOtherThanAcceptanceWriteNoTickets() throws Exception {
        UUID order = fixture.orderIn(store, OrderState.PAID);
        assertThat(tickets(order)).isEmpty();
        transitions.move(order, OrderState.REFUNDING, OrderFixture.STAFF, "rejected");
        assertThat(tickets(order)).isEmpty();
    }

    @Test
    void twoReplicasNeverClaimTheSameOutboxRowAndAnExpiredLeaseIsTakenOver() throws Exception {
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID order = fixture.orderIn(store, OrderState.PAID);
            KitchenTestData.addLine(dataSource, order, 2, "cold", "Cucumber", 1, "");
            transitions.move(order, OrderState.ACCEPTED, OrderFixture.STAFF, "go");
            mine.addAll(messageIds(order));
        }
        assertThat(mine).hasSize(12);
        Instant now = Instant.now().plusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<UUID> byA;
        List<UUID> byB;
        try {
            Future<List<UUID>> a =
                    pool.submit(
                            () -> outbox.claim("replica-a", 10_000, Duration.ofMillis(500), now));
            Future<List<UUID>> b =
                    pool.submit(
                            () -> outbox.claim("replica-b", 10_000, Duration.ofMillis(500), now));
            byA = a.get(30, TimeUnit.SECONDS).stream().filter(mine::contains).toList();
            byB = b.get(30, TimeUnit.SECONDS).stream().filter(mine::contains).toList();
        } finally {
            pool.shutdownNow();
        }
        // One replica may win every row (doesNotContainAnyElementsOf refuses an empty list).
        assertThat(byA).filteredOn(byB::contains).isEmpty();
        List<UUID> both = new ArrayList<>(byA);
        both.addAll(byB);
        assertThat(both).containsExactlyInAnyOrderElementsOf(mine);

        assertThat(outbox.claim("replica-c", 10_000, Duration.ofSeconds(5), now.plusMillis(100)))
                .doesNotContainAnyElementsOf(mine);
        assertThat(outbox.claim("replica-c", 10_000, Duration.ofMillis(100), now.plusSeconds(1)))
                .containsAll(mine);
    }

    private List<UUID> messageIds(UUID order) throws SQLException {
        List<UUID> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT o.message_id FROM outbox o JOIN kitchen_tickets t"
                                        + " ON t.ticket_id = o.aggregate_id WHERE t.order_id = ?")) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add((UUID) rs.getObject(1));
                }
            }
        }
        return rows;
    }

    private static int count(Connection c, UUID order) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT count(*) FROM kitchen_tickets WHERE order_id = ?")) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<String[]> tickets(UUID order) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT ticket_id, station, state FROM kitchen_tickets"
                                        + " WHERE order_id = ? ORDER BY station")) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        return rows;
    }

    private List<String> outboxTopics(UUID order) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT o.topic FROM outbox o JOIN kitchen_tickets t"
                                        + " ON t.ticket_id = o.aggregate_id WHERE t.order_id = ?")) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    private List<byte[]> outboxPayloads(UUID order) throws SQLException {
        List<byte[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT o.payload FROM outbox o JOIN kitchen_tickets t"
                                        + " ON t.ticket_id = o.aggregate_id WHERE t.order_id = ?")) {
            ps.setObject(1, order);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getBytes(1));
                }
            }
        }
        return rows;
    }
}
