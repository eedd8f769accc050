package io.scanorder.order.state;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads orders with their lines, events and refunds; lists a store's orders newest first. */
@ApplicationScoped
public class OrderQueries {
    /** Largest page ListOrders returns. */
    public static final int MAX_PAGE_SIZE = 200;

    private static final int DEFAULT_PAGE_SIZE = 50;

    private static final String HEADER =
            "SELECT o.order_id, o.pickup_number, s.store_code, t.table_code, o.state,"
                    + " o.total_fen, o.paid_fen, o.refunded_fen, o.menu_revision_hash, o.remark,"
                    + " o.party_size, o.created_at, o.updated_at, o.payment_deadline"
                    + " FROM orders o JOIN stores s ON s.store_id = o.store_id"
                    + " JOIN dining_tables t ON t.table_id = o.table_id";

    private final Transactions transactions;

    @Inject
    public OrderQueries(Transactions transactions) {
        this.transactions = transactions;
    }

    /** One page of orders and the token of the next page (empty on the last page). */
    public record Page(List<OrderView> orders, String nextPageToken) {}

    /**
     * Reads one order.
     *
     * @throws OrderNotFoundException for an unknown order
     */
    public OrderView get(UUID orderId) {
        return transactions.inTransaction(
                "order-get",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(HEADER + " WHERE o.order_id = ?")) {
                        ps.setObject(1, orderId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new OrderNotFoundException(
                                        "order " + orderId + " does not exist");
                            }
                            return full(c, rs);
                        }
                    }
                });
    }

    /**
     * Lists a store's orders, newest first.
     *
     * @param states only these states; empty for all
     * @param pageSize 1-200, 0 for the default of 50
     * @param pageToken empty for the first page, else a token from a previous page
     * @throws IllegalArgumentException for a bad page size or token
     * @throws OrderNotFoundException for an unknown store
     */
    public Page list(
            String storeCode, Collection<OrderState> states, int pageSize, String pageToken) {
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "page_size must be 0-" + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        Cursor after = pageToken == null || pageToken.isEmpty() ? null : Cursor.decode(pageToken);
        return transactions.inTransaction(
                "order-list",
                c -> {
                    requireStore(c, storeCode);
                    StringBuilder sql = new StringBuilder(HEADER).append(" WHERE s.store_code = ?");
                    if (!states.isEmpty()) {
                        sql.append(" AND o.state IN (")
                                .append(
                                        states.stream()
                                                .map(s -> "?")
                                                .collect(Collectors.joining(", ")))
                                .append(")");
                    }
                    if (after != null) {
                        sql.append(
                                " AND (o.created_at < ? OR (o.created_at = ? AND o.order_id < ?))");
                    }
                    sql.append(" ORDER BY o.created_at DESC, o.order_id DESC LIMIT ?");
                    List<OrderView> orders = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                        int i = 1;
                        ps.setString(i++, storeCode);
                        for (OrderState s : states) {
                            ps.setString(i++, s.name());
                        }
                        if (after != null) {
                            Timestamp at = Timestamp.from(after.createdAt());
                            ps.setTimestamp(i++, at);
                            ps.setTimestamp(i++, at);
                            ps.setObject(i++, after.orderId());
                        }
                        ps.setInt(i, size + 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                orders.add(full(c, rs));
                            }
                        }
                    }
                    String next = "";
                    if (orders.size() > size) {
                        orders.remove(size);
                        OrderView last = orders.get(size - 1);
                        next = new Cursor(last.createdAt(), last.orderId()).encode();
                    }
                    return new Page(orders, next);
                });
    }

    private static void requireStore(Connection c, String storeCode) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM stores WHERE store_code = ?")) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("store '" + storeCode + "' does not exist");
                }
            }
        }
    }

    private static OrderView full(Connection c, ResultSet rs) throws SQLException {
        UUID id = rs.getObject(1, UUID.class);
        return new OrderView(
                id,
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                OrderState.parse(rs.getString(5)),
                lines(c, id),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10),
                rs.getInt(11),
                instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)),
                events(c, id),
                refunds(c, id));
    }

    private static List<OrderView.Line> lines(Connection c, UUID id) throws SQLException {
        List<OrderView.Line> lines = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT line_id, sku_code, spu_code, name, spec, station, unit_price_fen,"
                                + " quantity, line_total_fen, note FROM order_lines"
                                + " WHERE order_id = ? ORDER BY line_no")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(
                            new OrderView.Line(
                                    rs.getObject(1, UUID.class),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getLong(7),
                                    rs.getInt(8),
                                    rs.getLong(9),
                                    rs.getString(10)));
                }
            }
        }
        return lines;
    }

    private static List<OrderView.Event> events(Connection c, UUID id) throws SQLException {
        List<OrderView.Event> events = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT from_state, to_state, actor_kind, actor_id, reason, occurred_at"
                                + " FROM order_events WHERE order_id = ?"
                                + " ORDER BY occurred_at, event_id")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(1);
                    events.add(
                            new OrderView.Event(
                                    from == null ? null : OrderState.parse(from),
                                    OrderState.parse(rs.getString(2)),
                                    new Actor(ActorKind.valueOf(rs.getString(3)), rs.getString(4)),
                                    rs.getString(5),
                                    instant(rs.getTimestamp(6))));
                }
            }
        }
        return events;
    }

    private static List<OrderView.Refund> refunds(Connection c, UUID id) throws SQLException {
        List<OrderView.Refund> refunds = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT refund_id, refund_fen, state, reason, requested_by_kind,"
                                + " requested_by_id, decided_by_kind, decided_by_id, requested_at,"
                                + " out_refund_no, decided_at"
                                + " FROM refunds"
                                + " WHERE order_id = ? ORDER BY requested_at, refund_id")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refunds.add(
                            new OrderView.Refund(
                                    rs.getObject(1, UUID.class),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    new Actor(ActorKind.valueOf(rs.getString(5)), rs.getString(6)),
                                    rs.getString(7) == null
                                            ? null
                                            : new Actor(
                                                    ActorKind.valueOf(rs.getString(7)),
                                                    rs.getString(8)),
                                    instant(rs.getTimestamp(9)),
                                    new ArrayList<>(),
                                    rs.getString(10),
                                    rs.getTimestamp(11) == null
                                            ? null
                                            : instant(rs.getTimestamp(11))));
                }
            }
        }
        if (refunds.isEmpty()) {
            return refunds;
        }
        Map<UUID, List<OrderView.RefundLine>> lines = new HashMap<>();
        for (OrderView.Refund r : refunds) {
            lines.put(r.refundId(), r.lines());
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT rl.refund_id, rl.order_line_id, rl.quantity, rl.refund_fen"
                                + " FROM refund_lines rl JOIN refunds r"
                                + " ON r.refund_id = rl.refund_id"
                                + " JOIN order_lines l ON l.line_id = rl.order_line_id"
                                + " WHERE r.order_id = ? ORDER BY l.line_no")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.get(rs.getObject(1, UUID.class))
                            .add(
                                    new OrderView.RefundLine(
                                            rs.getObject(2, UUID.class),
                                            rs.getInt(3),
                                            rs.getLong(4)));
                }
            }
        }
        return refunds;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    /** Position after the last order of a page: (created_at, order_id), opaque to clients. */
    record Cursor(Instant createdAt, UUID orderId) {
        private static final String PREFIX = "v1:";

        String encode() {
            String raw =
                    PREFIX + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + orderId;
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw =
                        new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (!raw.startsWith(PREFIX)) {
                    throw new IllegalArgumentException("wrong prefix");
                }
                String[] parts = raw.substring(PREFIX.length()).split(":", 3);
                return new Cursor(
                        Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "page_token '" + token + "' was not issued by ListOrders", e);
            }
        }
    }
}
