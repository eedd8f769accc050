package io.scanorder.order.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Work that must commit in the same transaction as an order move, e.g. the kitchen tickets and
 * outbox rows written when an order is ACCEPTED. Called by {@link OrderTransitions} for every
 * committed-to-be move (never for an unchanged result); an exception rolls the whole move back. A
 * unit of work may be retried, so implementations only write through {@code connection}.
 */
public interface OrderMoveListener {

    /**
     * Called after the order row and its event were written.
     *
     * @param connection the move's transaction
     * @param move the move (changed is always true)
     * @param at the time written to the order's {@code updated_at} and event
     */
    void moved(Connection connection, MoveResult move, Instant at) throws SQLException;
}
