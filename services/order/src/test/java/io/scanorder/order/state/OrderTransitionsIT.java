package io.scanorder.order.state;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.db.TransactionFailedException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transitions against the real embedded PostgreSQL: recording, concurrency, payment timeout. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class OrderTransitionsIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject PaymentTimeoutCloser closer;
    @Inject OrderMetrics metrics;

    private OrderFixture fixture;
    private OrderFixture.Store store;

    @BeforeEach
    void freshStore() throws SQLException {
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
    }

    @AfterEach
    void realClock() {
        transitions.useClock(Clock.systemUTC());
    }

    /**
     * Two acceptances of different orders in concurrent SERIALIZABLE transactions, each reading its
     * order before either writes (as concurrent AcceptOrder calls do). The ids are neighbours, so
     * both sit on one primary-key leaf page, which PostgreSQL's predicate lock covers whole. Before
     * V12 every move wrote a new orders_pk entry into that page (state was indexed) and the second
     * transaction failed with 40001; now the moves are heap-only updates and both commit.
     */
    @Test
    void concurrentAcceptancesOfNeighbouringOrdersBothCommitAsHeapOnlyUpdates() throws Exception {
        UUID first = UUID.randomUUID();
        UUID neighbour =
                new UUID(first.getMostSignificantBits(), first.getLeastSignificantBits() ^ 1L);
        fixture.orderIn(store, OrderState.PAID, first);
        fixture.orderIn(store, OrderState.PAID, neighbour);
        try (Connection a = serializable();
                Connection b = serializable()) {
            assertThat(stateIn(a, first)).isEqualTo(OrderState.PAID);
            assertThat(stateIn(b, neighbour)).isEqualTo(OrderState.PAID);
            long hotBeforeA = hotUpdatesOfOrders(a);
            long hotBeforeB = hotUpdatesOfOrders(b);
            transitions.moveIn(a, first, OrderState.ACCEPTED, OrderFixture.STAFF, "accept a");
            transitions.moveIn(b, neighbour, OrderState.ACCEPTED, OrderFixture.STAFF, "accept b");
            assertThat(hotUpdatesOfOrders(a) - hotBeforeA).as("heap-only updates in a").isOne();
            assertThat(hotUpdatesOfOrders(b) - hotBeforeB).as("heap-only updates in b").isOne();
            a.commit();
            b.commit();
        }
        assertThat(fixture.stateOf(first)).isEqualTo(OrderState.ACCEPTED);
        assertThat(fixture.stateOf(neighbour)).isEqualTo(OrderState.ACCEPTED);
    }

    private Connection serializable() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        return c;
    }

    private static OrderState stateIn(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT state FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("order %s exists", orderId).isTrue();
                return OrderState.parse(rs.getString(1));
            }
        }
    }

    /**
     * Heap-only updates of orders counted by this backend and not yet reported (PostgreSQL's view
     * includes earlier transactions of the pooled connection): compare before and after.
     */
    private static long hotUpdatesOfOrders(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables"
                                        + " WHERE relname = 'orders'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void everyMoveIsRecordedWithWhoWhenWhyAndBothStates() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.PAID);
        // After the payment event, so it is the newest; microseconds survive TIMESTAMPTZ.
        Instant at = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MICROS);
        transitions.useClock(Clock.fixed(at, ZoneOffset.UTC));

        MoveResult result =
                transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "  table 7 rush ");

        assertThat(result.changed()).isTrue();
        assertThat(result.from()).isEqualTo(OrderState.PAID);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT from_state, to_state, actor_kind, actor_id, reason,"
                                        + " occurred_at FROM order_events WHERE order_id = ?"
                                        + " ORDER BY occurred_at DESC LIMIT 1")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("PAID");
                assertThat(rs.getString(2)).isEqualTo("ACCEPTED");
                assertThat(rs.getString(3)).isEqualTo("STAFF");
                assertThat(rs.getString(4)).isEqualTo("staff-wang");
                assertThat(rs.getString(5)).isEqualTo("table 7 rush");
                assertThat(rs.getTimestamp(6).toInstant()).isEqualTo(at);
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT state, version, updated_at, paid_fen, payment_deadline"
                                        + " FROM orders WHERE order_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ACCEPTED");
                // Created at 0, paid (1), accepted (2).
                assertThat(rs.getLong(2)).isEqualTo(2);
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(at);
                assertThat(rs.getLong(4)).isEqualTo(3800);
                assertThat(rs.getTimestamp(5)).isNull();
            }
        }
        // Creation, payment, acceptance.
        assertThat(fixture.eventCount(id)).isEqualTo(3);
    }

    @Test
    void illegalMoveIsRefusedAndLeavesOrderAndHistoryUntouched() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.SERVED);
        int events = fixture.eventCount(id);

        assertThatThrownBy(
                        () ->
                                transitions.move(
                                        id, OrderState.REFUNDING, OrderFixture.STAFF, "cold soup"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage(
                        "cannot move order "
                                + id
                                + " from SERVED to REFUNDING: refunds are not allowed after"
                                + " SERVED");

        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.SERVED);
        assertThat(fixture.eventCount(id)).isEqualTo(events);
    }

    @Test
    void repeatingAMoveChangesNothingAndRecordsNothing() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.ACCEPTED);
        int events = fixture.eventCount(id);

        MoveResult again = transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");

        assertThat(again.changed()).isFalse();
        assertThat(fixture.eventCount(id)).isEqualTo(events);
    }

    @Test
    void unknownOrderIsNotFound() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> transitions.move(id, OrderState.PAID, OrderFixture.STAFF, ""))
                .isInstanceOf(OrderNotFoundException.class)
                .hasMessage("order " + id + " does not exist");
    }

    @Test
    void overlongReasonIsRefusedNamingTheLimit() throws SQLException {
        UUID id = fixture.pendingOrder(store);
        assertThatThrownBy(
                        () ->
                                transitions.move(
                                        id,
                                        OrderState.CANCELLED,
                                        OrderFixture.DINER,
                                        "x".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must be at most 200 characters, got 201");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PENDING_PAYMENT);
    }

    @Test
    void ofConcurrentConflictingMovesExactlyOneWins() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                UUID id = fixture.orderIn(store, OrderState.PAID);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<MoveResult>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    // Half the staff accept; half the diners ask for their money back.
                    boolean accept = t % 2 == 0;
                    futures.add(
                            pool.submit(
                                    () -> {
                                        start.await(10, TimeUnit.SECONDS);
                                        return accept
                                                ? transitions.move(
                                                        id,
                                                        OrderState.ACCEPTED,
                                                        OrderFixture.STAFF,
                                                        "race")
                                                : transitions.move(
                                                        id,
                                                        OrderState.REFUNDING,
                                                        OrderFixture.DINER,
                                                        "race");
                                    }));
                }
                List<MoveResult> changed = new ArrayList<>();
                List<MoveResult> unchanged = new ArrayList<>();
                List<Throwable> refused = new ArrayList<>();
                for (Future<MoveResult> f : futures) {
                    try {
                        MoveResult r = f.get(60, TimeUnit.SECONDS);
                        (r.changed() ? changed : unchanged).add(r);
                    } catch (java.util.concurrent.ExecutionException e) {
                        refused.add(e.getCause());
                    }
                }
                assertThat(changed).as("round %d winners", round).hasSize(1);
                OrderState winner = changed.get(0).to();
                assertThat(fixture.stateOf(id)).isEqualTo(winner);
                // Same-target requests are idempotent repeats; the other target is refused.
                assertThat(unchanged).allSatisfy(r -> assertThat(r.to()).isEqualTo(winner));
                assertThat(refused)
                        .allSatisfy(
                                e ->
                                        assertThat(e)
                                                .isInstanceOfAny(
                                                        IllegalTransitionException.class,
                                                        ConcurrentChangeException.class,
                                                        TransactionFailedException.class));
                assertThat(refused).hasSizeGreaterThanOrEqualTo(1);
                assertThat(eventsLeaving(id, OrderState.PAID)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unpaidOrderClosesOnceTheStoresOwnTimeoutPasses() throws SQLException {
        OrderFixture.Store quick = fixture.store(60);
        Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = fixture.pendingOrder(quick, placed, null);

        closer.closeOverdue(placed.plusSeconds(59));
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PENDING_PAYMENT);

        assertThat(closer.closeOverdue(placed.plusSeconds(61))).isGreaterThanOrEqualTo(1);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.CLOSED);
        assertThat(lastEventActor(id)).isEqualTo("SYSTEM:payment-timeout");

        // A second replica running the same job finds nothing left to do for this order.
        closer.closeOverdue(placed.plusSeconds(120));
        assertThat(fixture.eventCount(id)).isEqualTo(2);
    }

    @Test
    void storeWithoutItsOwnTimeoutUsesTheFifteenMinuteDefault() throws SQLException {
        Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID id = fixture.pendingOrder(store, placed, null);

        closer.closeOverdue(placed.plus(Duration.ofMinutes(14)).plusSeconds(59));
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PENDING_PAYMENT);

        closer.closeOverdue(placed.plus(Duration.ofMinutes(15)).plusSeconds(1));
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.CLOSED);
    }

    @Test
    void paidOrderIsNeverClosedByTheTimeout() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.PAID);

        closer.closeOverdue(Instant.now().plus(Duration.ofHours(2)));

        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PAID);
    }

    @Test
    void scheduledJobClosesOverdueOrdersOnItsOwn() throws SQLException {
        // Three placed 20 minutes ago (default timeout) and one past its own deadline.
        Instant placed = Instant.now().minus(Duration.ofMinutes(20));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fixture.pendingOrder(store, placed, null));
        }
        UUID explicitDeadline =
                fixture.pendingOrder(store, Instant.now(), Instant.now().minusSeconds(1));
        ids.add(explicitDeadline);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            for (UUID id : ids) {
                                assertThat(fixture.stateOf(id)).isEqualTo(OrderState.CLOSED);
                            }
                        });
    }

    @Test
    void metricsCountOrdersByStateAndTransitions() throws SQLException {
        fixture.orderIn(store, OrderState.READY);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metrics.count(OrderState.READY)).isPositive());
        String body =
                given().accept("text/plain; version=0.0.4")
                        .when()
                        .get("/q/metrics")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(body)
                .contains("# TYPE scanorder_orders gauge")
                .containsPattern("scanorder_orders\\{[^}]*state=\"READY\"[^}]*\\} [1-9]")
                .containsPattern(
                        "scanorder_order_transitions_total\\{actor=\"STAFF\",from=\"COOKING\","
                                + "to=\"READY\"[^}]*\\} [1-9]");
    }

    private int eventsLeaving(UUID id, OrderState from) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM order_events"
                                        + " WHERE order_id = ? AND from_state = ?")) {
            ps.setObject(1, id);
            ps.setString(2, from.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String lastEventActor(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT actor_kind || ':' || actor_id FROM order_events"
                                        + " WHERE order_id = ? ORDER BY occurred_at DESC"
                                        + " LIMIT 1")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
