package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.Unremovable;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Splits an order's lines by kitchen station when it is ACCEPTED: one {@code kitchen_tickets} row
 * per station and one {@code outbox} row per ticket, in the acceptance transaction, so a ticket
 * exists exactly when the acceptance committed. The dispatcher publishes the outbox rows.
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
        UUID storeId;
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
                storeId = (UUID) rs.getObject(1);
                storeCode = rs.getString(2);
                orderNo = rs.getString(3);
                table = rs.getString(4) + "-" + rs.getString(5);
            }
        }
        Map<String, List<TicketPayload.Line>> byStation = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT station, name, quantity, spec, note FROM order_lines"
                                + " WHERE order_id = ? ORDER BY line_no")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byStation
                            .computeIfAbsent(rs.getString(1), s -> new ArrayList<>())
                            .add(
                                    new TicketPayload.Line(
                                            rs.getString(2),
                                            rs.getInt(3),
                                            rs.getString(4),
                                            rs.getString(5)));
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
            Optional<DeviceRouter.Candidate> device = DeviceRouter.route(c, storeId, station, null);
            String topic =
                    device.map(d -> KitchenTopics.tickets(storeCode, d.deviceId()))
                            .orElse(KitchenTopics.unrouted(storeCode, station));
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO kitchen_tickets (ticket_id, order_id, station, device_id,"
                                    + " state, content, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, 'PENDING', CAST(? AS JSONB), ?, ?)")) {
                ps.setObject(1, ticketId);
                ps.setObject(2, orderId);
                ps.setString(3, station);
                ps.setString(4, device.map(DeviceRouter.Candidate::deviceId).orElse(null));
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
                ps.setBytes(
                        4, TicketPayload.encode(content, device.map(d -> d.copies()).orElse(1)));
                ps.setTimestamp(5, now);
                ps.setTimestamp(6, now);
                ps.executeUpdate();
            }
        }
        return byStation.size();
    }
}
