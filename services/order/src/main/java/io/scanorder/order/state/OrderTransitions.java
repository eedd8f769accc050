package io.scanorder.order.state;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Applies order state transitions: each move is checked against {@link OrderStateMachine}, written
 * with a conditional update (same state and version as read) and recorded in {@code order_events}
 * (who, when, why) in one SERIALIZABLE unit of work. Of two conflicting moves exactly one wins: the
 * loser's transaction is retried by {@link Transactions}, sees the new state and is refused.
 */
@ApplicationScoped
public class OrderTransitions {
    /** Longest reason stored with an event. */
    public static final int MAX_REASON_LENGTH = 200;

    private final Transactions transactions;
    private final OrderMetrics metrics;
    private Clock clock = Clock.systemUTC();

    /**
     * Committed moves, for listeners outside the transaction (live order updates). Field-injected
     * so the constructor stays as other callers know it; null when built outside CDI.
     */
    @Inject Event<MoveResult> committed;

    /** In-transaction listeners, e.g. kitchen tickets on ACCEPTED (io.scanorder.order.kitchen). */
    @Inject Instance<OrderMoveListener> listeners;

    @Inject
    public OrderTransitions(Transactions transactions, OrderMetrics metrics) {
        this.transactions = transactions;
        this.metrics = metrics;
    }

    /** Lets tests pin the time written to {@code updated_at} and events. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * Moves an order to {@code target} in its own transaction. Asking for the state the order is
     * already in returns an unchanged result and records nothing.
     *
     * @throws OrderNotFoundException for an unknown order
     * @throws IllegalTransitionException when the state machine refuses the move
     * @throws ConcurrentChangeException when the order changed under the conditional update
     * @throws IllegalArgumentException for a reason longer than {@value #MAX_REASON_LENGTH}
     */
    public MoveResult move(UUID orderId, OrderState target, Actor actor, String reason) {
        String why = checkReason(reason);
        MoveResult result =
                transactions.inTransaction(
                        "order-move", c -> moveIn(c, orderId, target, actor, why));
        afterCommit(result);
        return result;
    }

    /**
     * Records the payment of a PENDING_PAYMENT order: it moves to PAID, {@code paid_fen} is set and
     * the payment deadline cleared, atomically.
     */
    public MoveResult recordPayment(UUID orderId, long paidFen, Actor actor) {
        return recordPayment(orderId, paidFen, actor, null, null);
    }

    /**
     * Records a payment like {@link #recordPayment(UUID, long, Actor)} and, with it, which payment
     * attempt paid: its out_trade_no and WeChat Pay transaction id are stored on the order so a
     * refund goes to that attempt without searching the payment service for it.
     *
     * @param outTradeNo out_trade_no of the paying attempt; null when unknown
     * @param transactionId WeChat Pay transaction id of the payment; null when unknown
     */
    public MoveResult recordPayment(
            UUID orderId, long paidFen, Actor actor, String outTradeNo, String transactionId) {
        if (paidFen < 0) {
            throw new IllegalArgumentException("paid_fen must be >= 0, got " + paidFen);
        }
        MoveResult result =
                transactions.inTransaction(
                        "order-paid",
                        c -> {
                            MoveResult r =
                                    moveIn(c, orderId, OrderState.PAID, actor, "payment received");
                            if (r.changed()) {
                                try (PreparedStatement ps =
                                        c.prepareStatement(
                                                "UPDATE orders SET paid_fen = ?,"
                                                        + " payment_deadline = NULL,"
                                                        + " paid_out_trade_no = ?,"
                                                        + " paid_transaction_id = ?"
                                                        + " WHERE order_id = ?")) {
                                    ps.setLong(1, paidFen);
                                    ps.setString(2, outTradeNo);
                                    ps.setString(3, transactionId);
                                    ps.setObject(4, orderId);
                                    ps.executeUpdate();
                                }
                            }
                            return r;
                        });
        afterCommit(result);
        return result;
    }

    /**
     * Reports a committed move: counts it ({@link OrderMetrics#recorded}) and, when the state
     * changed, fires it asynchronously to {@code @ObservesAsync MoveResult} observers. Every path
     * that commits a {@link #moveIn} result calls this after commit (never inside the unit of work,
     * which may be retried).
     */
    public void afterCommit(MoveResult result) {
        metrics.recorded(result);
        if (result.changed() && committed != null) {
            committed.fireAsync(result);
        }
    }

    /**
     * Moves an order inside the caller's transaction (so other writes, such as a refund row, commit
     * with it). The caller reports the result to {@link #afterCommit} after commit.
     */
    public MoveResult moveIn(
            Connection c, UUID orderId, OrderState target, Actor actor, String reason)
            throws SQLException {
        OrderState from;
        long version;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT state, version FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                from = OrderState.parse(rs.getString(1));
                version = rs.getLong(2);
            }
        }
        if (from == target) {
            return new MoveResult(orderId, from, target, actor, false);
        }
        OrderStateMachine.check(orderId.toString(), from, target, actor.kind());
        Timestamp now = Timestamp.from(Instant.now(clock));
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE orders SET state = ?, version = version + 1, updated_at = ?"
                                + " WHERE order_id = ? AND state = ? AND version = ?")) {
            ps.setString(1, target.name());
            ps.setTimestamp(2, now);
            ps.setObject(3, orderId);
            ps.setString(4, from.name());
            ps.setLong(5, version);
            if (ps.executeUpdate() != 1) {
                throw new ConcurrentChangeException(
                        "order "
                                + orderId
                                + " changed while moving it from "
                                + from
                                + " to "
                                + target
                                + "; read it again and retry if the move still applies");
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO order_events (order_id, from_state, to_state, actor_kind,"
                                + " actor_id, reason, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, orderId);
            ps.setString(2, from.name());
            ps.setString(3, target.name());
            ps.setString(4, actor.kind().name());
            ps.setString(5, actor.id());
            ps.setString(6, reason);
            ps.setTimestamp(7, now);
            ps.executeUpdate();
        }
        MoveResult moved = new MoveResult(orderId, from, target, actor, true);
        if (listeners != null) {
            for (OrderMoveListener listener : listeners) {
                listener.moved(c, moved, now.toInstant());
            }
        }
        return moved;
    }

    /** Normalises a reason: null becomes empty; longer than the limit is refused. */
    static String checkReason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException(
                    "reason must be at most "
                            + MAX_REASON_LENGTH
                            + " characters, got "
                            + why.length());
        }
        return why;
    }
}
