package io.scanorder.order.placement;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/** Small reads the diner API needs besides full order views: ownership, status, business day. */
@ApplicationScoped
public class DinerOrderReads {
    private final Transactions transactions;

    public DinerOrderReads(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Checks that {@code openid} placed the order. Someone else's order is reported as missing, so
     * order ids cannot be probed.
     *
     * @throws OrderNotFoundException when the order does not exist or is not the diner's
     */
    public void requireOwner(UUID orderId, String openid) {
        boolean mine =
                transactions.inTransaction(
                        "order-owner",
                        c -> {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT placed_by_openid FROM orders"
                                                    + " WHERE order_id = ?")) {
                                ps.setObject(1, orderId);
                                try (ResultSet rs = ps.executeQuery()) {
                                    return rs.next() && openid.equals(rs.getString(1));
                                }
                            }
                        });
        if (!mine) {
            throw new OrderNotFoundException(
                    "order " + orderId + " does not exist or was not placed by this diner");
        }
    }

    /** The order's current status. */
    public OrderStatus status(UUID orderId) {
        return transactions.inTransaction(
                "order-status",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT pickup_number, state, version, total_fen, paid_fen,"
                                            + " refunded_fen, updated_at FROM orders"
                                            + " WHERE order_id = ?")) {
                        ps.setObject(1, orderId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new OrderNotFoundException(
                                        "order " + orderId + " does not exist");
                            }
                            return new OrderStatus(
                                    orderId,
                                    rs.getString(1),
                                    OrderState.parse(rs.getString(2)),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    rs.getLong(6),
                                    rs.getTimestamp(7).toInstant());
                        }
                    }
                });
    }

    /**
     * The store's business day at {@code now} (its local date).
     *
     * @throws OrderNotFoundException for an unknown store
     */
    public String businessDay(String storeCode, Instant now) {
        String zone =
                transactions.inTransaction(
                        "store-timezone",
                        c -> {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT timezone FROM stores WHERE store_code = ?")) {
                                ps.setString(1, storeCode);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (!rs.next()) {
                                        throw new OrderNotFoundException(
                                                "store '" + storeCode + "' does not exist");
                                    }
                                    return rs.getString(1);
                                }
                            }
                        });
        try {
            return LocalDate.ofInstant(now, ZoneId.of(zone)).toString();
        } catch (DateTimeException e) {
            throw new IllegalStateException(
                    "store " + storeCode + " has an invalid time zone '" + zone + "'", e);
        }
    }
}
