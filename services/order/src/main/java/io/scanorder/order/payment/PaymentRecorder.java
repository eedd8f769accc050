package io.scanorder.order.payment;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.ConcurrentChangeException;
import io.scanorder.order.state.IllegalTransitionException;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Records payments reported by the payment service, exactly once per order. The paying transaction
 * is the actor of the order's PAID event ({@code wechatpay:<transaction_id>}), so a repeat of the
 * same report is recognised whatever state the order has reached since, and a second transaction
 * for an already paid order is told apart from a repeat and refused (to be refunded).
 */
@ApplicationScoped
public class PaymentRecorder {
    private static final Logger LOG = Logger.getLogger(PaymentRecorder.class);
    static final String ACTOR_PREFIX = "wechatpay:";
    private static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern TRANSACTION_ID = Pattern.compile("[0-9A-Za-z_\\-]{1,64}");

    private final Transactions transactions;
    private final OrderTransitions transitions;

    public PaymentRecorder(Transactions transactions, OrderTransitions transitions) {
        this.transactions = transactions;
        this.transitions = transitions;
    }

    /**
     * A payment as reported.
     *
     * @param outTradeNo out_trade_no of the paying attempt ({order key}_{attempt}); null or blank
     *     when the reporter does not say (it is then looked up at refund time)
     */
    public record PaymentReport(
            String orderId,
            String storeCode,
            long paidFen,
            String transactionId,
            String outTradeNo) {

        /** A report without the paying attempt's out_trade_no. */
        public PaymentReport(String orderId, String storeCode, long paidFen, String transactionId) {
            this(orderId, storeCode, paidFen, transactionId, null);
        }
    }

    /**
     * What recording did.
     *
     * @param newlyRecorded true when this call moved the order to PAID
     */
    public record Recorded(UUID orderId, OrderState state, boolean newlyRecorded) {}

    private record OrderRow(OrderState state, long totalFen, String storeCode, String paidBy) {}

    /**
     * Records one report.
     *
     * @throws IllegalArgumentException for a malformed field (named in the message)
     * @throws OrderNotFoundException for an unknown order or one of another store
     * @throws PaymentRefusedException when the order can no longer take this payment
     */
    public Recorded record(PaymentReport report) {
        UUID orderId = parseOrderId(report.orderId());
        if (report.storeCode() == null || !STORE_CODE.matcher(report.storeCode()).matches()) {
            throw new IllegalArgumentException(
                    "store_code must be 3 digits, got '" + report.storeCode() + "'");
        }
        if (report.paidFen() < 1) {
            throw new IllegalArgumentException(
                    "paid_fen must be at least 1, got " + report.paidFen());
        }
        if (report.transactionId() == null
                || !TRANSACTION_ID.matcher(report.transactionId()).matches()) {
            throw new IllegalArgumentException(
                    "transaction_id must be 1-64 characters of [0-9A-Za-z_-], got '"
                            + report.transactionId()
                            + "'");
        }
        String outTradeNo = paidAttempt(orderId, report.outTradeNo());
        Actor payer = new Actor(ActorKind.PAYMENT, ACTOR_PREFIX + report.transactionId());
        // A concurrent move (another report, the timeout job) can beat ours: look again.
        for (int round = 0; round < 4; round++) {
            OrderRow order = read(orderId);
            if (!order.storeCode().equals(report.storeCode())) {
                throw new OrderNotFoundException(
                        "order " + orderId + " is not an order of store " + report.storeCode());
            }
            if (payer.id().equals(order.paidBy())) {
                return new Recorded(orderId, order.state(), false);
            }
            if (order.paidBy() != null) {
                throw new PaymentRefusedException(
                        "order "
                                + orderId
                                + " was already paid by transaction "
                                + stripPrefix(order.paidBy())
                                + "; transaction "
                                + report.transactionId()
                                + " is a second payment and must be refunded");
            }
            if (order.state() != OrderState.PENDING_PAYMENT) {
                throw new PaymentRefusedException(
                        "order "
                                + orderId
                                + " is "
                                + order.state()
                                + (order.state() == OrderState.CLOSED
                                        ? " (its payment timeout elapsed)"
                                        : "")
                                + " and can no longer be paid; refund transaction "
                                + report.transactionId());
            }
            if (order.totalFen() != report.paidFen()) {
                throw new PaymentRefusedException(
                        "order "
                                + orderId
                                + " totals "
                                + order.totalFen()
                                + " fen but transaction "
                                + report.transactionId()
                                + " paid "
                                + report.paidFen()
                                + " fen; refund it");
            }
            try {
                MoveResult r =
                        transitions.recordPayment(
                                orderId,
                                report.paidFen(),
                                payer,
                                outTradeNo,
                                report.transactionId());
                if (r.changed()) {
                    return new Recorded(orderId, OrderState.PAID, true);
                }
            } catch (IllegalTransitionException | ConcurrentChangeException e) {
                // Moved under us: the next round reads the order again and decides anew.
            }
        }
        throw new ConcurrentChangeException(
                "order " + orderId + " kept changing while recording its payment; retry");
    }

    private OrderRow read(UUID orderId) {
        return transactions.inTransaction(
                "payment-read-order",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT o.state, o.total_fen, s.store_code,"
                                            + " (SELECT e.actor_id FROM order_events e"
                                            + " WHERE e.order_id = o.order_id"
                                            + " AND e.to_state = 'PAID' AND e.actor_kind = 'PAYMENT'"
                                            + " ORDER BY e.occurred_at LIMIT 1)"
                                            + " FROM orders o JOIN stores s"
                                            + " ON s.store_id = o.store_id WHERE o.order_id = ?")) {
                        ps.setObject(1, orderId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new OrderNotFoundException(
                                        "order " + orderId + " does not exist");
                            }
                            return new OrderRow(
                                    OrderState.parse(rs.getString(1)),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getString(4));
                        }
                    }
                });
    }

    /**
     * The out_trade_no to remember as the paying attempt, or null. Only one of this order's own
     * attempts ({order key}_{1-999}) is kept, since refunds will be sent to it; any other value
     * (the field is otherwise only for the audit trail, and old callers send other shapes) is not
     * refused but left out, and refunds then find the attempt through QueryPayment.
     */
    private static String paidAttempt(UUID orderId, String outTradeNo) {
        if (outTradeNo == null || outTradeNo.isBlank()) {
            return null;
        }
        String prefix = TradeNumbers.orderKey(orderId) + "_";
        String attempt = outTradeNo.startsWith(prefix) ? outTradeNo.substring(prefix.length()) : "";
        if (!attempt.matches("[1-9][0-9]{0,2}")) {
            LOG.warnf(
                    "payment of order %s names out_trade_no '%s', not one of the order's attempts"
                            + " (%s{1-%d}); it is not stored and a refund will look the attempt up",
                    orderId, outTradeNo, prefix, TradeNumbers.MAX_ATTEMPT);
            return null;
        }
        return outTradeNo;
    }

    private static String stripPrefix(String actorId) {
        return actorId.startsWith(ACTOR_PREFIX)
                ? actorId.substring(ACTOR_PREFIX.length())
                : actorId;
    }

    static UUID parseOrderId(String value) {
        try {
            UUID id = UUID.fromString(value == null ? "" : value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException("not canonical");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "order_id must be a UUID like 3f0c9d1e-7a55-4c1b-9f43-0d6f1c2e8a77, got '"
                            + value
                            + "'");
        }
    }
}
