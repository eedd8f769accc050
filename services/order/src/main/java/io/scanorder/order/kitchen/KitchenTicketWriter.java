package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.Unremovable;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuCanonical;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderMoveListener;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Splits an order's lines by kitchen station when it is ACCEPTED, less what single-item refunds
 * before acceptance took back: one {@code kitchen_tickets} row per station and one {@code outbox}
 * row per ticket, in the acceptance transaction, so a ticket exists exactly when the acceptance
 * committed. The dispatcher routes (chooses the device) and publishes the outbox rows; the
 * acceptance reads no device row.
 */
@ApplicationScoped
@Unremovable
public class KitchenTicketWriter implements OrderMoveListener {
    /** outbox.aggregate_type of kitchen tickets. */
    public static final String AGGREGATE_TYPE = "kitchen_ticket";

    @Override
    public void moved(Connection c, MoveResult move, Instant at) throws SQLException {
        if (move.to() == OrderState.ACCEPTED) {
            writeTickets(c, move.orderId(), at);
        }
    }

    /** Writes the tickets and outbox rows of one order; returns how many tickets. */
    int writeTickets(Connection c, UUID orderId, Instant at) throws SQLException {
        String storeCode;
        String orderNo;
        String table;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT o.store_id, s.store_code, o.pickup_number, t.area_code,"
                                + " t.table_no FROM orders o"
                                + " JOIN stores s ON s.store_id = o.store_id"
                                + " JOIN dining_tables t ON t.table_id = o.table_id"
                                + " WHERE o.order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                storeCode = rs.getString(2);
                orderNo = rs.getString(3);
                table = rs.getString(4) + "-" + rs.getString(5);
            }
        }
        Map<String, List<TicketPayload.Line>> byStation = new TreeMap<>();
        Menu menu = null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        // What is left of each line after its refunds (a line refunded before
                        // acceptance is not cooked); refunds that failed or were declined take
                        // nothing, as when refunds are priced.
                        "SELECT l.station, l.name, l.quantity - COALESCE((SELECT"
                                + " sum(rl.quantity) FROM refund_lines rl JOIN refunds r"
                                + " ON r.refund_id = rl.refund_id WHERE rl.order_line_id ="
                                + " l.line_id AND r.state NOT IN ('FAILED', 'DECLINED')), 0),"
                                + " l.spec, l.note, l.sku_code FROM order_lines l"
                                + " WHERE l.order_id = ? ORDER BY l.line_no")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(3) < 1) {
                        continue;
                    }
                    String station = rs.getString(1);
                    TicketPayload.Line line =
                            new TicketPayload.Line(
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.getString(4),
                                    rs.getString(5));
                    if (station != null && !station.isEmpty()) {
                        byStation.computeIfAbsent(station, k -> new ArrayList<>()).add(line);
                        continue;
                    }
                    // A combo has no station of its own: each component goes to its item's.
                    if (menu == null) {
                        menu = orderMenu(c, orderId);
                    }
                    expandCombo(menu, rs.getString(6), line, byStation, orderId);
                }
            }
        }
        Timestamp now = Timestamp.from(at);
        for (Map.Entry<String, List<TicketPayload.Line>> e : byStation.entrySet()) {
            String station = e.getKey();
            UUID ticketId = UUID.randomUUID();
            ObjectNode content =
                    TicketPayload.content(
                            ticketId.toString(),
                            orderNo,
                            storeCode,
                            table,
                            station,
                            at,
                            e.getValue());
            // Not routed here: the dispatcher picks the device when it publishes, so accepting
            // reads no device row (heartbeats update those all the time: serialization conflicts).
            String topic = KitchenTopics.unrouted(storeCode, station);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO kitchen_tickets (ticket_id, order_id, station, device_id,"
                                    + " state, content, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, 'PENDING', CAST(? AS JSONB), ?, ?)")) {
                ps.setObject(1, ticketId);
                ps.setObject(2, orderId);
                ps.setString(3, station);
                ps.setString(4, null);
                ps.setString(5, content.toString());
                ps.setTimestamp(6, now);
                ps.setTimestamp(7, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO outbox (aggregate_type, aggregate_id, topic, payload,"
                                    + " available_at, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, AGGREGATE_TYPE);
                ps.setObject(2, ticketId);
                ps.setString(3, topic);
                ps.setBytes(4, TicketPayload.encode(content, 1));
                ps.setTimestamp(5, now);
                ps.setTimestamp(6, now);
                ps.executeUpdate();
            }
        }
        return byStation.size();
    }

    /** The menu revision the order was priced from (combos are resolved against it). */
    private static Menu orderMenu(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT r.content FROM orders o JOIN menu_revisions r"
                                + " ON r.store_id = o.store_id"
                                + " AND r.revision_hash = o.menu_revision_hash"
                                + " WHERE o.order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "order " + orderId + ": its menu revision is missing");
                }
                return MenuCanonical.fromJson(rs.getString(1));
            }
        }
    }

    /**
     * Adds one line per component of combo {@code comboCode} to the station of the component's
     * item, quantities multiplied by the combo line's, the combo's name in the note.
     *
     * @throws IllegalStateException when the code is no combo of the order's menu revision: the
     *     acceptance is refused rather than a ticket written for no station
     */
    private static void expandCombo(
            Menu menu,
            String comboCode,
            TicketPayload.Line comboLine,
            Map<String, List<TicketPayload.Line>> byStation,
            UUID orderId) {
        Menu.Combo combo =
                menu.combos().stream()
                        .filter(k -> k.comboCode().equals(comboCode))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "order "
                                                        + orderId
                                                        + ": line '"
                                                        + comboCode
                                                        + "' has no station and is no combo of"
                                                        + " the order's menu revision"));
        String note =
                comboLine.notes() == null || comboLine.notes().isEmpty()
                        ? "[" + combo.name() + "]"
                        : "[" + combo.name() + "] " + comboLine.notes();
        for (Menu.Component part : combo.components()) {
            for (Menu.Item item : menu.items()) {
                for (Menu.Sku sku : item.skus()) {
                    if (sku.skuCode().equals(part.skuCode())) {
                        byStation
                                .computeIfAbsent(item.station(), k -> new ArrayList<>())
                                .add(
                                        new TicketPayload.Line(
                                                item.name(),
                                                part.quantity() * comboLine.qty(),
                                                sku.spec(),
                                                note));
                    }
                }
            }
        }
    }
}
