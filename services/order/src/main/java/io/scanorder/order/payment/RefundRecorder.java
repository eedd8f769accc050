package io.scanorder.order.payment;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Records refund outcomes reported by the payment service, exactly once per out_refund_no (the
 * unique {@code refunds.out_refund_no} and SERIALIZABLE transactions make concurrent repeats
 * harmless). A successful refund of the order's own payment raises {@code refunded_fen}; a partial
 * refund of an order that is not REFUNDING changes nothing else (the kitchen carries on). A
 * REFUNDING order moves on as docs/order-states.md says: REFUNDED when everything paid is refunded,
 * PARTIALLY_REFUNDED when part is and no other refund of the order is still processing, also when
 * its last refund was closed without paying out. A REFUNDING order with nothing refunded and
 * nothing processing stays REFUNDING until staff request its refund again.
 */
@ApplicationScoped
public class RefundRecorder {
    private static final Logger LOG = Logger.getLogger(RefundRecorder.class);
    private static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern OUT_REFUND_NO = Pattern.compile("[0-9A-Za-z_\\-|*@]{1,64}");
    private static final Pattern TRANSACTION_ID = Pattern.compile("[0-9A-Za-z_\\-]{1,64}");

    /** Idempotency keys of refunds first learned from the payment service start with this. */
    static final String KEY_PREFIX = "wechat:";

    private final Transactions transactions;
    private final OrderTransitions transitions;

    public RefundRecorder(Transactions transactions, OrderTransitions transitions) {
        this.transactions = transactions;
        this.transitions = transitions;
    }

    /** A refund outcome as reported; {@code succeeded} false means WeChat closed the refund. */
    public record RefundReport(
            String orderId,
            String storeCode,
            String outRefundNo,
            long refundFen,
            String transactionId,
            String wechatRefundId,
            boolean succeeded,
            Instant succeededAt) {}

    /**
     * What recording did.
     *
     * @param newlyRecorded false for a repeat of an earlier report
     */
    public record Recorded(
            UUID orderId, OrderState state, boolean newlyRecorded, long refundedFen) {}

    private record OrderRow(
            OrderState state, long paidFen, long refundedFen, String storeCode, String paidBy) {}

    private record Outcome(Recorded recorded, MoveResult move) {}

    /**
     * Records one report.
     *
     * @throws IllegalArgumentException for a malformed field (named in the message)
     * @throws OrderNotFoundException for an unknown order or one of another store
     * @throws PaymentRefusedException when a successful refund exceeds what is left to refund
     */
    public Recorded record(RefundReport report) {
        UUID orderId = PaymentRecorder.parseOrderId(report.orderId());
        if (report.storeCode() == null || !STORE_CODE.matcher(report.storeCode()).matches()) {
            throw new IllegalArgumentException(
                    "store_code must be 3 digits, got '" + report.storeCode() + "'");
        }
        if (report.outRefundNo() == null
                || !OUT_REFUND_NO.matcher(report.outRefundNo()).matches()) {
            throw new IllegalArgumentException(
                    "out_refund_no must be 1-64 characters of [0-9A-Za-z_-|*@], got '"
                            + report.outRefundNo()
                            + "'");
        }
        if (report.refundFen() < 1) {
            throw new IllegalArgumentException(
                    "refund_fen must be at least 1, got " + report.refundFen());
        }
        if (report.transactionId() == null
                || !TRANSACTION_ID.matcher(report.transactionId()).matches()) {
            throw new IllegalArgumentException(
                    "transaction_id must be 1-64 characters of [0-9A-Za-z_-], got '"
                            + report.transactionId()
                            + "'");
        }
        Outcome outcome =
                transactions.inTransaction("refund-outcome", c -> recordIn(c, orderId, report));
        if (outcome.move() != null) {
            transitions.afterCommit(outcome.move());
        }
        return outcome.recorded();
    }

    private Outcome recordIn(Connection c, UUID orderId, RefundReport report) throws SQLException {
        OrderRow order = read(c, orderId);
        if (!order.storeCode().equals(report.storeCode())) {
            throw new OrderNotFoundException(
                    "order " + orderId + " is not an order of store " + report.storeCode());
        }
        if (alreadyRecorded(c, orderId, report.outRefundNo())) {
            return new Outcome(
                    new Recorded(orderId, order.state(), false, order.refundedFen()), null);
        }
        boolean ownPayment =
                (PaymentRecorder.ACTOR_PREFIX + report.transactionId()).equals(order.paidBy());
        Timestamp now = Timestamp.from(Instant.now());
        if (!report.succeeded()) {
            return recordClosed(c, orderId, report, order, ownPayment, now);
        }
        long refunded = order.refundedFen();
        if (ownPayment && refunded + report.refundFen() > order.paidFen()) {
            throw new PaymentRefusedException(
                    "refund "
                            + report.outRefundNo()
                            + " of "
                            + report.refundFen()
                            + " fen exceeds what is left to refund of order "
                            + orderId
                            + ": paid "
                            + order.paidFen()
                            + " fen, refunded "
                            + refunded
                            + " fen");
        }
        boolean claimed = ownPayment && claimProcessing(c, orderId, report, "SUCCEEDED", now);
        if (!claimed) {
            insertLearned(c, orderId, report, "SUCCEEDED", ownPayment, now);
        }
        if (!ownPayment) {
            // A payment the order refused (closed, cancelled, paid twice), refunded by the
            // payment service: on record for the audit trail, the order's money is unchanged.
            return new Outcome(new Recorded(orderId, order.state(), true, refunded), null);
        }
        refunded += report.refundFen();
        MoveResult move = null;
        OrderState state = order.state();
        Actor actor = new Actor(ActorKind.PAYMENT, "wechatpay-refund:" + report.outRefundNo());
        if (state == OrderState.REFUNDING) {
            if (refunded == order.paidFen()) {
                move =
                        transitions.moveIn(
                                c, orderId, OrderState.REFUNDED, actor, "refunded in full");
            } else if (!stillProcessing(c, orderId)) {
                move =
                        transitions.moveIn(
                                c,
                                orderId,
                                OrderState.PARTIALLY_REFUNDED,
                                actor,
                                "refunded " + refunded + " of " + order.paidFen() + " fen");
            }
        } else if (claimed) {
            // A partial refund: the order keeps its kitchen state.
            LOG.infof(
                    "refund %s of order %s paid out %d fen (refunded %d of %d fen); the order"
                            + " stays %s",
                    report.outRefundNo(),
                    orderId,
                    report.refundFen(),
                    refunded,
                    order.paidFen(),
                    state);
        } else {
            LOG.warnf(
                    "refund %s of order %s (%d fen) was made at WeChat Pay, not requested through"
                            + " ScanOrder; recorded without a state change, the order stays %s"
                            + " with %d of %d fen refunded",
                    report.outRefundNo(),
                    orderId,
                    report.refundFen(),
                    state,
                    refunded,
                    order.paidFen());
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE orders SET refunded_fen = refunded_fen + ?, updated_at = ?"
                                + " WHERE order_id = ?")) {
            ps.setLong(1, report.refundFen());
            ps.setTimestamp(2, now);
            ps.setObject(3, orderId);
            ps.executeUpdate();
        }
        return new Outcome(
                new Recorded(orderId, move == null ? state : move.to(), true, refunded), move);
    }

    /**
     * A refund WeChat closed without paying out: nothing was refunded and the refund is FAILED (its
     * lines may be refunded again). A REFUNDING order whose last refund in progress this was ends
     * PARTIALLY_REFUNDED if part of it was refunded before; with nothing refunded it stays
     * REFUNDING and the log tells staff to request the refund again.
     */
    private Outcome recordClosed(
            Connection c,
            UUID orderId,
            RefundReport report,
            OrderRow order,
            boolean ownPayment,
            Timestamp now)
            throws SQLException {
        if (!ownPayment || !claimProcessing(c, orderId, report, "FAILED", now)) {
            insertLearned(c, orderId, report, "FAILED", ownPayment, now);
        }
        OrderState state = order.state();
        if (!ownPayment) {
            LOG.warnf(
                    "automatic refund %s (%d fen) of payment %s, which order %s refused, was"
                            + " closed by WeChat Pay without paying out; the payer has not got"
                            + " the money back: refund it in the WeChat Pay merchant platform",
                    report.outRefundNo(), report.refundFen(), report.transactionId(), orderId);
            return new Outcome(new Recorded(orderId, state, true, order.refundedFen()), null);
        }
        Actor actor = new Actor(ActorKind.PAYMENT, "wechatpay-refund:" + report.outRefundNo());
        MoveResult move =
                afterUnpaid(
                        c,
                        orderId,
                        order,
                        report.outRefundNo(),
                        report.refundFen(),
                        actor,
                        "was closed by WeChat Pay without paying out");
        return new Outcome(
                new Recorded(orderId, move == null ? state : move.to(), true, order.refundedFen()),
                move);
    }

    /**
     * What a refund of the order's own payment that ended without paying out (closed by WeChat, or
     * refused for good by the payment service) does to its order, in the transaction that marked it
     * FAILED: a REFUNDING order whose last refund in progress this was ends PARTIALLY_REFUNDED if
     * part of it was refunded before; with nothing refunded it stays REFUNDING and the log tells
     * staff to request the refund again. Any other order keeps its state.
     *
     * @param how what happened to the refund, for the log, e.g. "was closed by WeChat Pay ..."
     * @return the move made, or null
     */
    public MoveResult afterUnpaid(
            Connection c, UUID orderId, String outRefundNo, long refundFen, Actor actor, String how)
            throws SQLException {
        return afterUnpaid(c, orderId, read(c, orderId), outRefundNo, refundFen, actor, how);
    }

    private MoveResult afterUnpaid(
            Connection c,
            UUID orderId,
            OrderRow order,
            String outRefundNo,
            long refundFen,
            Actor actor,
            String how)
            throws SQLException {
        OrderState state = order.state();
        if (state != OrderState.REFUNDING) {
            LOG.warnf(
                    "refund %s of order %s (%d fen) %s; the order stays %s. To refund it after"
                            + " all, staff call RequestRefund for order %s again (its lines are"
                            + " free to refund again)",
                    outRefundNo, orderId, refundFen, how, state, orderId);
            return null;
        }
        if (stillProcessing(c, orderId)) {
            LOG.warnf(
                    "refund %s of REFUNDING order %s (%d fen) %s; the order waits for its other"
                            + " refunds in progress",
                    outRefundNo, orderId, refundFen, how);
            return null;
        }
        if (order.refundedFen() > 0) {
            MoveResult move =
                    transitions.moveIn(
                            c,
                            orderId,
                            OrderState.PARTIALLY_REFUNDED,
                            actor,
                            "refund "
                                    + outRefundNo
                                    + (how.startsWith("was closed") ? " closed" : " refused")
                                    + " without paying out; refunded "
                                    + order.refundedFen()
                                    + " of "
                                    + order.paidFen()
                                    + " fen");
            LOG.warnf(
                    "refund %s of order %s (%d fen) %s; the order is PARTIALLY_REFUNDED with %d"
                            + " of %d fen refunded. To refund the rest, staff call RequestRefund"
                            + " as STAFF for order %s again (refund_fen %d)",
                    outRefundNo,
                    orderId,
                    refundFen,
                    how,
                    order.refundedFen(),
                    order.paidFen(),
                    orderId,
                    order.paidFen() - order.refundedFen());
            return move;
        }
        LOG.errorf(
                "refund %s of order %s (%d fen) %s and nothing of the order is refunded: the order"
                        + " stays REFUNDING and the diner has not got the money back. Staff must"
                        + " call RequestRefund as STAFF for order %s again (refund_fen %d, a new"
                        + " idempotency_key); the order moves to REFUNDED once that refund is"
                        + " paid out",
                outRefundNo, orderId, refundFen, how, orderId, order.paidFen());
        return null;
    }

    private static OrderRow read(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT o.state, o.paid_fen, o.refunded_fen, s.store_code,"
                                + " (SELECT e.actor_id FROM order_events e"
                                + " WHERE e.order_id = o.order_id"
                                + " AND e.to_state = 'PAID' AND e.actor_kind = 'PAYMENT'"
                                + " ORDER BY e.occurred_at LIMIT 1)"
                                + " FROM orders o JOIN stores s"
                                + " ON s.store_id = o.store_id WHERE o.order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                return new OrderRow(
                        OrderState.parse(rs.getString(1)),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5));
            }
        }
    }

    private static boolean alreadyRecorded(Connection c, UUID orderId, String outRefundNo)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT order_id, state FROM refunds WHERE out_refund_no = ?")) {
            ps.setString(1, outRefundNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                UUID owner = rs.getObject(1, UUID.class);
                if (!owner.equals(orderId)) {
                    throw new IllegalArgumentException(
                            "out_refund_no "
                                    + outRefundNo
                                    + " was already recorded for order "
                                    + owner
                                    + ", not order "
                                    + orderId);
                }
                // A PROCESSING row holds the number it was sent with and awaits this outcome.
                return !"PROCESSING".equals(rs.getString(2));
            }
        }
    }

    /**
     * Matches the outcome to the PROCESSING refund of the order that was sent with this
     * out_refund_no or, for a refund from before numbers were assigned on approval, to the oldest
     * PROCESSING refund of the same amount without an out_refund_no.
     */
    private static boolean claimProcessing(
            Connection c, UUID orderId, RefundReport report, String state, Timestamp now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE refunds SET state = ?, wechat_refund_id = ?, succeeded_at = ?"
                                + " WHERE order_id = ? AND out_refund_no = ?"
                                + " AND state = 'PROCESSING' AND refund_fen = ?")) {
            ps.setString(1, state);
            ps.setString(2, blankToNull(report.wechatRefundId()));
            ps.setTimestamp(3, succeededAt(report, now));
            ps.setObject(4, orderId);
            ps.setString(5, report.outRefundNo());
            ps.setLong(6, report.refundFen());
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT refund_fen FROM refunds WHERE out_refund_no = ?")) {
            ps.setString(1, report.outRefundNo());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalArgumentException(
                            "refund_fen "
                                    + report.refundFen()
                                    + " does not match the "
                                    + rs.getLong(1)
                                    + " fen out_refund_no "
                                    + report.outRefundNo()
                                    + " of order "
                                    + orderId
                                    + " was requested for");
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE refunds SET state = ?, out_refund_no = ?, wechat_refund_id = ?,"
                                + " succeeded_at = ? WHERE refund_id = (SELECT refund_id FROM"
                                + " refunds WHERE order_id = ? AND state = 'PROCESSING'"
                                + " AND out_refund_no IS NULL AND refund_fen = ?"
                                + " ORDER BY requested_at, refund_id LIMIT 1)")) {
            ps.setString(1, state);
            ps.setString(2, report.outRefundNo());
            ps.setString(3, blankToNull(report.wechatRefundId()));
            ps.setTimestamp(4, succeededAt(report, now));
            ps.setObject(5, orderId);
            ps.setLong(6, report.refundFen());
            return ps.executeUpdate() == 1;
        }
    }

    /** A refund this service never asked for (an automatic refund of a refused payment). */
    private static void insertLearned(
            Connection c,
            UUID orderId,
            RefundReport report,
            String state,
            boolean ownPayment,
            Timestamp now)
            throws SQLException {
        String reason =
                ownPayment
                        ? "refund made at WeChat Pay"
                        : "automatic refund of payment " + report.transactionId();
        String by = "wechatpay-refund:" + report.outRefundNo();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO refunds (refund_id, order_id, idempotency_key, refund_fen,"
                                + " state, reason, requested_by_kind, requested_by_id,"
                                + " decided_by_kind, decided_by_id, decided_at, out_refund_no,"
                                + " wechat_refund_id, succeeded_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, 'PAYMENT', ?, 'PAYMENT', ?, ?, ?,"
                                + " ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, orderId);
            ps.setString(3, KEY_PREFIX + report.outRefundNo());
            ps.setLong(4, report.refundFen());
            ps.setString(5, state);
            ps.setString(6, reason);
            ps.setString(7, by);
            ps.setString(8, by);
            ps.setTimestamp(9, now);
            ps.setString(10, report.outRefundNo());
            ps.setString(11, blankToNull(report.wechatRefundId()));
            ps.setTimestamp(12, succeededAt(report, now));
            ps.executeUpdate();
        }
    }

    private static boolean stillProcessing(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) FROM refunds WHERE order_id = ?"
                                + " AND state = 'PROCESSING'")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static Timestamp succeededAt(RefundReport report, Timestamp now) {
        if (!report.succeeded()) {
            return null;
        }
        return report.succeededAt() == null ? now : Timestamp.from(report.succeededAt());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
