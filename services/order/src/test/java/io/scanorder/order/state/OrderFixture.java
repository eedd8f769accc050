package io.scanorder.order.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Test fixture: inserts stores, tables and PENDING_PAYMENT orders straight into the database (order
 * placement belongs to the menu work), and walks orders along the state machine through {@link
 * OrderTransitions}.
 */
public final class OrderFixture {
    /** Staff member used by tests. */
    public static final Actor STAFF = new Actor(ActorKind.STAFF, "staff-wang");

    /** Diner used by tests. */
    public static final Actor DINER = new Actor(ActorKind.DINER, "openid-o6_bmjrPTlm6");

    private static final Actor PAYMENT = new Actor(ActorKind.PAYMENT, "scanorder-payment");
    private static final Actor KITCHEN = new Actor(ActorKind.SYSTEM, "kitchen-dispatcher");
    private static final List<OrderState> KITCHEN_PATH =
            List.of(
                    OrderState.PAID,
                    OrderState.ACCEPTED,
                    OrderState.DISPATCHING,
                    OrderState.COOKING,
                    OrderState.READY,
                    OrderState.SERVED,
                    OrderState.COMPLETED);

    private final DataSource dataSource;
    private final OrderTransitions transitions;

    public OrderFixture(DataSource dataSource, OrderTransitions transitions) {
        this.dataSource = dataSource;
        this.transitions = transitions;
    }

    /** A store and its table, menu revision and code. */
    public record Store(UUID storeId, String storeCode, UUID tableId, String menuHash) {}

    /**
     * Creates a store with a fresh 3-digit code.
     *
     * @param timeoutSeconds the store's payment timeout, or null for the service default
     */
    public Store store(Integer timeoutSeconds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (int attempt = 0; attempt < 200; attempt++) {
                String code = String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
                UUID storeId = UUID.randomUUID();
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO stores (store_id, store_code, name,"
                                        + " order_timeout_seconds) VALUES (?, ?, ?, ?)"
                                        + " ON CONFLICT (store_code) DO NOTHING")) {
                    ps.setObject(1, storeId);
                    ps.setString(2, code);
                    ps.setString(3, "Store " + code);
                    ps.setObject(4, timeoutSeconds);
                    if (ps.executeUpdate() == 0) {
                        continue;
                    }
                }
                UUID tableId = UUID.randomUUID();
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO dining_tables (table_id, store_id, area_code,"
                                        + " table_no, table_code, seats)"
                                        + " VALUES (?, ?, '0001', '0001', ?, 4)")) {
                    ps.setObject(1, tableId);
                    ps.setObject(2, storeId);
                    ps.setString(3, code + "000100017");
                    ps.executeUpdate();
                }
                byte[] hash = new byte[32];
                ThreadLocalRandom.current().nextBytes(hash);
                String menuHash = HexFormat.of().formatHex(hash);
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO menu_revisions (store_id, revision_hash, content,"
                                        + " item_count) VALUES (?, ?, '{}'::JSONB, 0)")) {
                    ps.setObject(1, storeId);
                    ps.setString(2, menuHash);
                    ps.executeUpdate();
                }
                return new Store(storeId, code, tableId, menuHash);
            }
        }
        throw new IllegalStateException("no free store code left in the test database");
    }

    /** Inserts a PENDING_PAYMENT order of 3800 fen created now, with its creation event. */
    public UUID pendingOrder(Store store) throws SQLException {
        return pendingOrder(store, Instant.now(), null);
    }

    /** Inserts a PENDING_PAYMENT order created at {@code createdAt}, with one line and an event. */
    public UUID pendingOrder(Store store, Instant createdAt, Instant paymentDeadline)
            throws SQLException {
        return pendingOrder(store, UUID.randomUUID(), createdAt, paymentDeadline);
    }

    /** Inserts a PENDING_PAYMENT order with the given id (e.g. one next to another's key). */
    public UUID pendingOrder(Store store, UUID orderId, Instant createdAt, Instant paymentDeadline)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO orders (order_id, store_id, table_id, idempotency_key,"
                                    + " pickup_number, state, menu_revision_hash, total_fen,"
                                    + " party_size, payment_deadline, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?, 'PENDING_PAYMENT', ?, 3800, 2, ?,"
                                    + " ?, ?)")) {
                ps.setObject(1, orderId);
                ps.setObject(2, store.storeId());
                ps.setObject(3, store.tableId());
                ps.setString(4, orderId.toString());
                ps.setString(5, "A" + ThreadLocalRandom.current().nextInt(100, 999));
                ps.setString(6, store.menuHash());
                ps.setTimestamp(
                        7, paymentDeadline == null ? null : Timestamp.from(paymentDeadline));
                ps.setTimestamp(8, Timestamp.from(createdAt));
                ps.setTimestamp(9, Timestamp.from(createdAt));
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO order_lines (order_id, line_no, sku_code, spu_code, name,"
                                    + " spec, station, unit_price_fen, quantity, line_total_fen)"
                                    + " VALUES (?, 1, 'SKU-BEEF-L', 'SPU-BEEF', 'Beef noodles',"
                                    + " 'large', 'hot', 1900, 2, 3800)")) {
                ps.setObject(1, orderId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO order_events (order_id, from_state, to_state,"
                                    + " actor_kind, actor_id, reason, occurred_at)"
                                    + " VALUES (?, NULL, 'PENDING_PAYMENT', 'DINER', ?,"
                                    + " 'order placed', ?)")) {
                ps.setObject(1, orderId);
                ps.setString(2, DINER.id());
                ps.setTimestamp(3, Timestamp.from(createdAt));
                ps.executeUpdate();
            }
        }
        return orderId;
    }

    /** A new order moved along the kitchen path (paid in full first) up to {@code state}. */
    public UUID orderIn(Store store, OrderState state) throws SQLException {
        return orderIn(store, state, UUID.randomUUID());
    }

    /** Like {@link #orderIn(Store, OrderState)}, with the given order id. */
    public UUID orderIn(Store store, OrderState state, UUID orderId) throws SQLException {
        UUID id = pendingOrder(store, orderId, Instant.now(), null);
        if (state == OrderState.PENDING_PAYMENT) {
            return id;
        }
        int last = KITCHEN_PATH.indexOf(state);
        if (last < 0) {
            throw new IllegalArgumentException(state + " is not on the kitchen path");
        }
        transitions.recordPayment(id, 3800, PAYMENT);
        for (OrderState s : KITCHEN_PATH.subList(1, last + 1)) {
            Actor actor = s == OrderState.DISPATCHING || s == OrderState.COOKING ? KITCHEN : STAFF;
            transitions.move(id, s, actor, "fixture");
        }
        return id;
    }

    /** The order's current state, read directly. */
    public OrderState stateOf(UUID orderId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT state FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return OrderState.parse(rs.getString(1));
            }
        }
    }

    /** Number of events recorded for the order (including its creation). */
    public int eventCount(UUID orderId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM order_events WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
