package io.scanorder.order.placement;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.menu.PriceSnapshot;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.AmountOutOfRangeException;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.table.TableCodeError;
import io.scanorder.order.table.TableCodeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** The database side of placement: one unit of work writes order, lines and first event. */
final class PlacementStore {
    private final Transactions transactions;
    private final Clock clock;

    PlacementStore(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A line priced from a menu snapshot. */
    record PricedLine(PriceSnapshot price, int quantity, String note) {
        long totalFen() {
            return price.priceFen() * quantity;
        }
    }

    /** Everything the placing transaction writes. */
    record NewOrder(
            String storeCode,
            String tableCode,
            String idempotencyKey,
            String fingerprint,
            Actor placedBy,
            String menuRevisionHash,
            List<PricedLine> lines,
            String remark,
            int partySize,
            Duration defaultPaymentTimeout) {}

    /**
     * Outcome of the placing transaction.
     *
     * @param created false when the key had already placed this order
     * @param businessDay the store-local day of the pickup number (null for a repeat)
     */
    record Inserted(UUID orderId, boolean created, String businessDay) {}

    /** The store's current menu is not the one the lines were priced from. */
    static final class StaleMenuException extends RuntimeException {
        private final String currentHash;

        StaleMenuException(String currentHash) {
            super("menu revision changed to " + currentHash, null, false, false);
            this.currentHash = currentHash;
        }

        String currentHash() {
            return currentHash;
        }
    }

    private record StoreRow(
            UUID storeId,
            String timezone,
            Integer timeoutSeconds,
            Long orderLimitFen,
            String currentMenu) {}

    /**
     * The order an idempotency key already placed in a store, or null.
     *
     * @throws PlacementRefusedException when it was placed by a different request
     */
    UUID existing(String storeCode, String idempotencyKey, String fingerprint) {
        return transactions.inTransaction(
                "order-by-idempotency-key",
                c -> {
                    StoreRow store = store(c, storeCode);
                    return existingIn(c, store.storeId(), idempotencyKey, fingerprint);
                });
    }

    /**
     * The order an idempotency key placed in a store for this diner, whatever its request was, or
     * null: answers the repeat of a cart checkout after the cart it was made from was cleared.
     */
    UUID placedBy(String storeCode, String idempotencyKey, String openid) {
        return transactions.inTransaction(
                "order-by-key-and-diner",
                c -> {
                    StoreRow store = store(c, storeCode);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT order_id FROM orders WHERE store_id = ?"
                                            + " AND idempotency_key = ? AND placed_by_openid = ?")) {
                        ps.setObject(1, store.storeId());
                        ps.setString(2, idempotencyKey);
                        ps.setString(3, openid);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getObject(1, UUID.class) : null;
                        }
                    }
                });
    }

    /**
     * Inserts the order, or finds the one the key already placed.
     *
     * @throws StaleMenuException when the store's menu is no longer the priced one
     * @throws AmountOutOfRangeException when the total exceeds the store's order limit
     */
    Inserted insert(NewOrder order) {
        return transactions.inTransaction("place-order", c -> insertIn(c, order));
    }

    private Inserted insertIn(Connection c, NewOrder o) throws SQLException {
        StoreRow store = store(c, o.storeCode());
        UUID earlier = existingIn(c, store.storeId(), o.idempotencyKey(), o.fingerprint());
        if (earlier != null) {
            return new Inserted(earlier, false, null);
        }
        if (!o.menuRevisionHash().equals(store.currentMenu())) {
            throw new StaleMenuException(store.currentMenu());
        }
        UUID tableId = table(c, store.storeId(), o.storeCode(), o.tableCode());
        long total = o.lines().stream().mapToLong(PricedLine::totalFen).sum();
        if (store.orderLimitFen() != null && total > store.orderLimitFen()) {
            throw new AmountOutOfRangeException(
                    "the order total of "
                            + total
                            + " fen exceeds the limit of "
                            + store.orderLimitFen()
                            + " fen per order of store "
                            + o.storeCode()
                            + "; split it into several orders or ask the staff");
        }
        Instant now = clock.instant();
        ZoneId zone;
        try {
            zone = ZoneId.of(store.timezone());
        } catch (DateTimeException e) {
            throw new IllegalStateException(
                    "store "
                            + o.storeCode()
                            + " has an invalid time zone '"
                            + store.timezone()
                            + "'",
                    e);
        }
        String day = LocalDate.ofInstant(now, zone).toString();
        String pickup = PickupNumbers.format(PickupNumbers.next(c, store.storeId(), day));
        Duration timeout =
                store.timeoutSeconds() == null
                        ? o.defaultPaymentTimeout()
                        : Duration.ofSeconds(store.timeoutSeconds());
        UUID orderId = UUID.randomUUID();
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO orders (order_id, store_id, table_id, idempotency_key,"
                                + " pickup_number, state, menu_revision_hash, total_fen, remark,"
                                + " party_size, payment_deadline, created_at, updated_at,"
                                + " placed_by_openid, business_day, request_fingerprint)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, orderId);
            ps.setObject(2, store.storeId());
            ps.setObject(3, tableId);
            ps.setString(4, o.idempotencyKey());
            ps.setString(5, pickup);
            ps.setString(6, OrderState.PENDING_PAYMENT.name());
            ps.setString(7, o.menuRevisionHash());
            ps.setLong(8, total);
            ps.setString(9, o.remark());
            ps.setInt(10, o.partySize());
            ps.setTimestamp(11, Timestamp.from(now.plus(timeout)));
            ps.setTimestamp(12, at);
            ps.setTimestamp(13, at);
            ps.setString(14, o.placedBy().kind() == ActorKind.DINER ? o.placedBy().id() : null);
            ps.setString(15, day);
            ps.setString(16, o.fingerprint());
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO order_lines (order_id, line_no, sku_code, spu_code, name,"
                                + " spec, station, unit_price_fen, quantity, line_total_fen, note)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int no = 1;
            for (PricedLine l : o.lines()) {
                PriceSnapshot p = l.price();
                ps.setObject(1, orderId);
                ps.setInt(2, no++);
                ps.setString(3, p.code());
                ps.setString(4, p.spuCode());
                ps.setString(5, p.name());
                ps.setString(6, p.spec());
                ps.setString(7, p.station());
                ps.setLong(8, p.priceFen());
                ps.setInt(9, l.quantity());
                ps.setLong(10, l.totalFen());
                ps.setString(11, l.note());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO order_events (order_id, from_state, to_state, actor_kind,"
                                + " actor_id, reason, occurred_at)"
                                + " VALUES (?, NULL, ?, ?, ?, 'order placed', ?)")) {
            ps.setObject(1, orderId);
            ps.setString(2, OrderState.PENDING_PAYMENT.name());
            ps.setString(3, o.placedBy().kind().name());
            ps.setString(4, o.placedBy().id());
            ps.setTimestamp(5, at);
            ps.executeUpdate();
        }
        return new Inserted(orderId, true, day);
    }

    private static UUID existingIn(Connection c, UUID storeId, String key, String fingerprint)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT order_id, request_fingerprint FROM orders"
                                + " WHERE store_id = ? AND idempotency_key = ?")) {
            ps.setObject(1, storeId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!fingerprint.equals(rs.getString(2))) {
                    throw PlacementIdempotency.reused(key);
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static StoreRow store(Connection c, String storeCode) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT store_id, timezone, order_timeout_seconds, order_limit_fen,"
                                + " current_menu_revision FROM stores WHERE store_code = ?")) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new TableCodeException(
                            TableCodeError.STORE_UNKNOWN, "no store has code " + storeCode);
                }
                return new StoreRow(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        (Integer) rs.getObject(3),
                        (Long) rs.getObject(4),
                        rs.getString(5));
            }
        }
    }

    private static UUID table(Connection c, UUID storeId, String storeCode, String tableCode)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT table_id, enabled FROM dining_tables"
                                + " WHERE store_id = ? AND table_code = ?")) {
            ps.setObject(1, storeId);
            ps.setString(2, tableCode);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new TableCodeException(
                            TableCodeError.TABLE_UNKNOWN,
                            "store " + storeCode + " has no table with code " + tableCode);
                }
                if (!rs.getBoolean(2)) {
                    throw new TableCodeException(
                            TableCodeError.TABLE_DISABLED,
                            "table "
                                    + tableCode
                                    + " of store "
                                    + storeCode
                                    + " is out of service: please ask the staff");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
