package io.scanorder.order.kitchen;

import io.scanorder.order.state.Actor;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The order moves the kitchen's acks cause, decided from all of the order's tickets in the ack's
 * transaction (so however acks interleave or repeat, each move happens once):
 *
 * <ul>
 *   <li>an order without KDS tickets goes to COOKING once every ticket is printed (READY then comes
 *       from staff, who see the food at the pass);
 *   <li>an order with KDS tickets goes to COOKING on the first bump of any of them, and to READY
 *       once every KDS ticket is bumped READY and every other ticket is printed.
 * </ul>
 *
 * A KDS ticket is one a KDS tablet has acked, or one routed to a KDS tablet.
 */
final class KitchenProgress {
    private KitchenProgress() {}

    /** Ticket counts of one order. */
    record Counts(long total, long delivered, long kds, long bumped, long kdsReady) {
        boolean isCooking() {
            return kds == 0 ? total > 0 && delivered == total : bumped > 0;
        }

        boolean isReady() {
            return kds > 0 && kdsReady == kds && delivered == total;
        }
    }

    static Counts counts(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*),"
                                + " COALESCE(sum(CASE WHEN k.state = 'ACKED' THEN 1 ELSE 0 END), 0),"
                                + " COALESCE(sum(CASE WHEN k.kds THEN 1 ELSE 0 END), 0),"
                                + " COALESCE(sum(CASE WHEN k.kds_status IN ('COOKING', 'READY')"
                                + " THEN 1 ELSE 0 END), 0),"
                                + " COALESCE(sum(CASE WHEN k.kds_status = 'READY'"
                                + " THEN 1 ELSE 0 END), 0)"
                                + " FROM (SELECT t.state, t.kds_status,"
                                + " (t.kds_status IS NOT NULL OR EXISTS (SELECT 1"
                                + " FROM kitchen_devices d WHERE d.store_id = o.store_id"
                                + " AND d.device_id = t.device_id"
                                + " AND d.device_type = 'KDS_TABLET')) AS kds"
                                + " FROM kitchen_tickets t JOIN orders o"
                                + " ON o.order_id = t.order_id WHERE t.order_id = ?) k")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Counts(
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /**
     * Moves the order as far as its tickets say (never backwards, never out of a state the kitchen
     * does not own) and adds each move to {@code moves} for {@link OrderTransitions#afterCommit}.
     *
     * @param delivered true when the ack delivered a ticket (ACCEPTED then moves to DISPATCHING)
     */
    static void advance(
            Connection c,
            OrderTransitions transitions,
            UUID orderId,
            Actor actor,
            boolean delivered,
            String why,
            List<MoveResult> moves)
            throws SQLException {
        OrderState state = TicketOutbox.orderState(c, orderId);
        if (state == OrderState.ACCEPTED && delivered) {
            moves.add(
                    transitions.moveIn(
                            c, orderId, OrderState.DISPATCHING, actor, "kitchen ticket " + why));
            state = OrderState.DISPATCHING;
        }
        if (state != OrderState.DISPATCHING && state != OrderState.COOKING) {
            return;
        }
        Counts counts = counts(c, orderId);
        if (state == OrderState.DISPATCHING && (counts.isCooking() || counts.isReady())) {
            moves.add(
                    transitions.moveIn(
                            c,
                            orderId,
                            OrderState.COOKING,
                            actor,
                            counts.kds == 0
                                    ? "every kitchen ticket printed"
                                    : "kitchen display: cooking started"));
            state = OrderState.COOKING;
        }
        if (state == OrderState.COOKING && counts.isReady()) {
            moves.add(
                    transitions.moveIn(
                            c,
                            orderId,
                            OrderState.READY,
                            actor,
                            "kitchen display: every KDS ticket bumped ready"));
        }
    }
}
