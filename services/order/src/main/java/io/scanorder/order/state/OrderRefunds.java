package io.scanorder.order.state;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.payment.TradeNumbers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Refund requests and staff decisions, following the refund rules of the state machine: before
 * acceptance a full refund is self-service; while the kitchen works on the order (ACCEPTED to
 * READY) a diner's request waits for staff approval; from SERVED on none is allowed. Only an
 * approved refund that takes everything still paid ({@link #takesEverythingStillPaid}) stops the
 * order: it moves to REFUNDING in the same transaction as the refund row. A partial refund (an
 * amount or a single item) goes to the payment service without moving the order, so the kitchen
 * carries on with the rest. While the order is REFUNDING or PARTIALLY_REFUNDED staff may add
 * refunds of what is still open; diners may not.
 */
@ApplicationScoped
public class OrderRefunds {
    /** Idempotency key of the refund a staff rejection starts (one per order). */
    static final String REJECT_KEY = "staff-reject";

    /** Highest out_refund_no sequence for order refunds; the payment service uses 26-50. */
    static final int MAX_ORDER_REFUND_SEQUENCE = 25;

    /** Refund amount meaning "everything paid and not yet refunded or requested". */
    private static final long FULL = -1;

    private final Transactions transactions;
    private final OrderTransitions transitions;

    @Inject
    public OrderRefunds(Transactions transactions, OrderTransitions transitions) {
        this.transactions = transactions;
        this.transitions = transitions;
    }

    /** What became of a refund request or decision. */
    public record RefundOutcome(UUID refundId, String refundState, MoveResult move) {}

    /** One order line (or part of it) a single-item refund asks for. */
    public record LineRequest(UUID lineId, int quantity) {}

    /** A line of the order as the refund sees it: its price snapshot and what is left of it. */
    private record OrderLine(
            UUID lineId, String skuCode, String name, long unitPriceFen, int quantity, int taken) {}

    /**
     * Requests a refund. Idempotent by {@code (orderId, idempotencyKey)}: a repeat returns the
     * first request's refund.
     *
     * @throws IllegalArgumentException for a blank key or reason, or an amount below 1
     * @throws AmountOutOfRangeException when the amount exceeds what is paid and not yet refunded
     *     or already requested
     * @throws IllegalTransitionException when the order's state allows no refund
     */
    public RefundOutcome request(
            UUID orderId, String idempotencyKey, long refundFen, String reason, Actor actor) {
        return request(orderId, idempotencyKey, refundFen, List.of(), reason, actor);
    }

    /**
     * Requests a refund, of an amount or, with {@code lines}, of order lines (a single-item
     * refund). The amount of a line refund is computed from the lines' price snapshot (unit price
     * times quantity), so {@code refundFen} must then be 0 or that sum. A line's quantity may not
     * exceed what was ordered minus what its earlier refunds took (all but FAILED and DECLINED
     * ones); the check and the refund's rows are one SERIALIZABLE transaction, so concurrent
     * requests never refund more of a line than was ordered. The approval rules are those of an
     * amount refund. Only a refund that takes everything still paid moves the order to REFUNDING; a
     * partial one leaves it in its state. Idempotent by {@code (orderId, idempotencyKey)}.
     *
     * @throws IllegalArgumentException for a blank key or reason, an amount below 1 without lines,
     *     an unknown or repeated line, a quantity below 1, a free line, or an amount that does not
     *     match the lines
     * @throws AmountOutOfRangeException when the amount exceeds what is paid and not yet refunded
     *     or already requested, or a line's quantity exceeds what is left of it
     * @throws IllegalTransitionException when the order's state allows no refund
     */
    public RefundOutcome request(
            UUID orderId,
            String idempotencyKey,
            long refundFen,
            List<LineRequest> lines,
            String reason,
            Actor actor) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 64) {
            throw new IllegalArgumentException("idempotency_key must be 1-64 characters");
        }
        List<LineRequest> asked = lines == null ? List.of() : List.copyOf(lines);
        if (asked.isEmpty() && refundFen < 1) {
            throw new IllegalArgumentException("refund_fen must be at least 1, got " + refundFen);
        }
        if (!asked.isEmpty() && refundFen < 0) {
            throw new IllegalArgumentException(
                    "refund_fen must be 0 (computed from the lines) or their sum, got "
                            + refundFen);
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            LineRequest line = asked.get(i);
            if (line == null || line.lineId() == null) {
                throw new IllegalArgumentException("lines[" + i + "].line_id is required");
            }
            if (!seen.add(line.lineId())) {
                throw new IllegalArgumentException(
                        "lines["
                                + i
                                + "].line_id: line "
                                + line.lineId()
                                + " is named twice; give each line once with its total quantity");
            }
            if (line.quantity() < 1) {
                throw new IllegalArgumentException(
                        "lines[" + i + "].quantity must be at least 1, got " + line.quantity());
            }
        }
        String why = OrderTransitions.checkReason(reason);
        if (why.isEmpty()) {
            throw new IllegalArgumentException("reason is required for a refund");
        }
        RefundOutcome outcome =
                transactions.inTransaction(
                        "refund-request",
                        c -> requestIn(c, orderId, idempotencyKey, refundFen, asked, why, actor));
        if (outcome.move() != null) {
            transitions.afterCommit(outcome.move());
        }
        return outcome;
    }

    /**
     * Staff reject a PAID order: a full refund starts and the order moves to REFUNDING. Repeating
     * the rejection returns the first one's refund.
     *
     * @throws IllegalArgumentException without a reason
     * @throws IllegalTransitionException when the order is not PAID
     */
    public RefundOutcome reject(UUID orderId, Actor actor, String reason) {
        String why = OrderTransitions.checkReason(reason);
        if (why.isEmpty()) {
            throw new IllegalArgumentException("reason is required to reject an order");
        }
        RefundOutcome outcome =
                transactions.inTransaction(
                        "order-reject",
                        c -> {
                            RefundOutcome earlier = byKey(c, orderId, REJECT_KEY);
                            if (earlier != null) {
                                return earlier;
                            }
                            OrderState state = stateOf(c, orderId);
                            if (state != OrderState.PAID) {
                                throw new IllegalTransitionException(
                                        orderId.toString(),
                                        state,
                                        OrderState.REFUNDING,
                                        "only a PAID order can be rejected; once accepted,"
                                                + " refund it with RequestRefund");
                            }
                            return requestIn(c, orderId, REJECT_KEY, FULL, List.of(), why, actor);
                        });
        if (outcome.move() != null) {
            transitions.afterCommit(outcome.move());
        }
        return outcome;
    }

    private static OrderState stateOf(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT state FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                return OrderState.parse(rs.getString(1));
            }
        }
    }

    private static RefundOutcome byKey(Connection c, UUID orderId, String key) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT refund_id, state FROM refunds"
                                + " WHERE order_id = ? AND idempotency_key = ?")) {
            ps.setObject(1, orderId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new RefundOutcome(rs.getObject(1, UUID.class), rs.getString(2), null)
                        : null;
            }
        }
    }

    private RefundOutcome requestIn(
            Connection c,
            UUID orderId,
            String key,
            long refundFen,
            List<LineRequest> lines,
            String why,
            Actor actor)
            throws SQLException {
        RefundOutcome earlier = byKey(c, orderId, key);
        if (earlier != null) {
            return earlier;
        }
        OrderState state;
        long open;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT o.state, o.paid_fen - o.refunded_fen - COALESCE((SELECT"
                                + " sum(r.refund_fen) FROM refunds r WHERE r.order_id ="
                                + " o.order_id AND r.state IN ('AWAITING_APPROVAL',"
                                + " 'PROCESSING')), 0) FROM orders o WHERE o.order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                state = OrderState.parse(rs.getString(1));
                open = rs.getLong(2);
            }
        }
        if (refundFen == FULL) {
            refundFen = open;
        }
        boolean waitsForStaff =
                actor.kind() != ActorKind.STAFF
                        && OrderStateMachine.STAFF_APPROVED_REFUND_STATES.contains(state);
        if (!waitsForStaff) {
            // Refused here, before any row is written, when the state allows no refund.
            OrderStateMachine.checkRefund(orderId.toString(), state, actor.kind());
        }
        List<Long> lineAmounts = new ArrayList<>();
        if (!lines.isEmpty()) {
            long computed = priceLines(c, orderId, lines, lineAmounts);
            if (refundFen != 0 && refundFen != computed) {
                throw new IllegalArgumentException(
                        "refund_fen "
                                + refundFen
                                + " does not match the "
                                + computed
                                + " fen the named lines cost at order time; send 0 to refund"
                                + " exactly the lines");
            }
            refundFen = computed;
        }
        if (refundFen > open || refundFen < 1) {
            throw new AmountOutOfRangeException(
                    "refund_fen "
                            + refundFen
                            + " exceeds the "
                            + open
                            + " fen paid and not yet refunded or requested for order "
                            + orderId);
        }
        if (state == OrderState.PAID && actor.kind() == ActorKind.DINER && refundFen != open) {
            throw new IllegalArgumentException(
                    "before acceptance only a full refund is self-service: refund_fen must be "
                            + open
                            + ", got "
                            + refundFen);
        }
        String refundState = waitsForStaff ? "AWAITING_APPROVAL" : "PROCESSING";
        UUID refundId = UUID.randomUUID();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO refunds (refund_id, order_id, idempotency_key, refund_fen,"
                                + " state, reason, requested_by_kind, requested_by_id,"
                                + " decided_by_kind, decided_by_id, decided_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                + (waitsForStaff ? "NULL" : "now()")
                                + ")")) {
            ps.setObject(1, refundId);
            ps.setObject(2, orderId);
            ps.setString(3, key);
            ps.setLong(4, refundFen);
            ps.setString(5, refundState);
            ps.setString(6, why);
            ps.setString(7, actor.kind().name());
            ps.setString(8, actor.id());
            ps.setString(9, waitsForStaff ? null : actor.kind().name());
            ps.setString(10, waitsForStaff ? null : actor.id());
            ps.executeUpdate();
        }
        for (int i = 0; i < lines.size(); i++) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO refund_lines (refund_id, order_line_id, quantity,"
                                    + " refund_fen) VALUES (?, ?, ?, ?)")) {
                ps.setObject(1, refundId);
                ps.setObject(2, lines.get(i).lineId());
                ps.setInt(3, lines.get(i).quantity());
                ps.setLong(4, lineAmounts.get(i));
                ps.executeUpdate();
            }
        }
        if (!waitsForStaff) {
            assignOutRefundNo(c, orderId, refundId);
        }
        MoveResult move =
                !waitsForStaff
                                && state != OrderState.REFUNDING
                                && takesEverythingStillPaid(c, orderId, refundId, refundFen)
                        ? transitions.moveIn(
                                c, orderId, OrderState.REFUNDING, actor, "refund: " + why)
                        : null;
        return new RefundOutcome(refundId, refundState, move);
    }

    /**
     * The one definition of a full refund, used by request and approval alike: the refund, what the
     * order already got back and the order's other refunds still PROCESSING together take
     * everything paid. Only such a refund stops the order (moves it to REFUNDING); refunds waiting
     * for staff approval do not count, since they may still be declined.
     *
     * @param refundId the refund being decided, left out of the PROCESSING sum
     */
    static boolean takesEverythingStillPaid(
            Connection c, UUID orderId, UUID refundId, long refundFen) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT o.paid_fen, o.refunded_fen, COALESCE((SELECT sum(r.refund_fen)"
                                + " FROM refunds r WHERE r.order_id = o.order_id"
                                + " AND r.state = 'PROCESSING' AND r.refund_id <> ?), 0)"
                                + " FROM orders o WHERE o.order_id = ?")) {
            ps.setObject(1, refundId);
            ps.setObject(2, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException("order " + orderId + " does not exist");
                }
                return refundFen + rs.getLong(2) + rs.getLong(3) == rs.getLong(1);
            }
        }
    }

    /**
     * Prices the asked lines from the order's price snapshot and checks each quantity against what
     * is left of the line: ordered minus what its refunds that are not FAILED or DECLINED took.
     * Fills {@code amounts} with each line's refund fen, in order, and returns their sum.
     */
    private static long priceLines(
            Connection c, UUID orderId, List<LineRequest> lines, List<Long> amounts)
            throws SQLException {
        Map<UUID, OrderLine> ordered = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT l.line_id, l.sku_code, l.name, l.unit_price_fen, l.quantity,"
                                + " COALESCE((SELECT sum(rl.quantity) FROM refund_lines rl"
                                + " JOIN refunds r ON r.refund_id = rl.refund_id"
                                + " WHERE rl.order_line_id = l.line_id"
                                + " AND r.state NOT IN ('FAILED', 'DECLINED')), 0)"
                                + " FROM order_lines l WHERE l.order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    ordered.put(
                            id,
                            new OrderLine(
                                    id,
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getInt(5),
                                    rs.getInt(6)));
                }
            }
        }
        long sum = 0;
        for (int i = 0; i < lines.size(); i++) {
            LineRequest asked = lines.get(i);
            OrderLine line = ordered.get(asked.lineId());
            String at = "lines[" + i + "]";
            if (line == null) {
                throw new IllegalArgumentException(
                        at + ".line_id: order " + orderId + " has no line " + asked.lineId());
            }
            if (line.unitPriceFen() < 1) {
                throw new IllegalArgumentException(
                        at
                                + ".line_id: line "
                                + line.lineId()
                                + " ("
                                + line.name()
                                + ") was free; there is nothing to refund");
            }
            int left = line.quantity() - line.taken();
            if (asked.quantity() > left) {
                throw new AmountOutOfRangeException(
                        at
                                + ".quantity "
                                + asked.quantity()
                                + " exceeds what is left to refund of line "
                                + line.lineId()
                                + " ("
                                + line.name()
                                + ", SKU "
                                + line.skuCode()
                                + "): ordered "
                                + line.quantity()
                                + ", already refunded or being refunded "
                                + line.taken()
                                + ", left "
                                + Math.max(0, left));
            }
            long fen = line.unitPriceFen() * asked.quantity();
            amounts.add(fen);
            sum += fen;
        }
        return sum;
    }

    /**
     * Approves or declines a refund that waits for staff. Repeating the same decision returns the
     * refund unchanged.
     *
     * @throws OrderNotFoundException for an unknown order or a refund not of this order
     * @throws OrderRuleException when the refund was decided the other way or never waited
     * @throws IllegalTransitionException when approving and the order's state no longer allows a
     *     refund (e.g. it was SERVED meanwhile). An approval moves the order to REFUNDING only when
     *     the refund takes everything still paid.
     */
    public RefundOutcome decide(
            UUID orderId, UUID refundId, boolean approve, Actor approver, String reason) {
        if (approver.kind() != ActorKind.STAFF) {
            throw new IllegalArgumentException(
                    "approver.kind must be STAFF: only staff decide refunds, got "
                            + approver.kind());
        }
        String why = OrderTransitions.checkReason(reason);
        if (!approve && why.isEmpty()) {
            throw new IllegalArgumentException("reason is required when declining a refund");
        }
        RefundOutcome outcome =
                transactions.inTransaction(
                        "refund-decision",
                        c -> decideIn(c, orderId, refundId, approve, approver, why));
        if (outcome.move() != null) {
            transitions.afterCommit(outcome.move());
        }
        return outcome;
    }

    private RefundOutcome decideIn(
            Connection c, UUID orderId, UUID refundId, boolean approve, Actor approver, String why)
            throws SQLException {
        String current;
        long refundFen;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT state, refund_fen FROM refunds"
                                + " WHERE refund_id = ? AND order_id = ?")) {
            ps.setObject(1, refundId);
            ps.setObject(2, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OrderNotFoundException(
                            "refund " + refundId + " of order " + orderId + " does not exist");
                }
                current = rs.getString(1);
                refundFen = rs.getLong(2);
            }
        }
        String wanted = approve ? "PROCESSING" : "DECLINED";
        if (!current.equals("AWAITING_APPROVAL")) {
            boolean sameDecision =
                    approve ? !current.equals("DECLINED") : current.equals("DECLINED");
            if (sameDecision) {
                return new RefundOutcome(refundId, current, null);
            }
            throw new OrderRuleException(
                    "refund "
                            + refundId
                            + " was already "
                            + (current.equals("DECLINED") ? "declined" : "approved")
                            + " (state "
                            + current
                            + "); request a new refund instead");
        }
        MoveResult move = null;
        if (approve) {
            OrderState state = stateOf(c, orderId);
            // Refused when the state allows no refund any more (e.g. SERVED meanwhile).
            OrderStateMachine.checkRefund(orderId.toString(), state, approver.kind());
            if (state != OrderState.REFUNDING
                    && takesEverythingStillPaid(c, orderId, refundId, refundFen)) {
                move =
                        transitions.moveIn(
                                c,
                                orderId,
                                OrderState.REFUNDING,
                                approver,
                                why.isEmpty() ? "refund approved" : "refund approved: " + why);
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE refunds SET state = ?, decided_by_kind = 'STAFF', decided_by_id = ?,"
                                + " decided_at = now(),"
                                + " decision_reason = ? WHERE refund_id = ?"
                                + " AND state = 'AWAITING_APPROVAL'")) {
            ps.setString(1, wanted);
            ps.setString(2, approver.id());
            ps.setString(3, why);
            ps.setObject(4, refundId);
            if (ps.executeUpdate() != 1) {
                throw new ConcurrentChangeException(
                        "refund " + refundId + " was decided concurrently; read the order again");
            }
        }
        if (approve) {
            assignOutRefundNo(c, orderId, refundId);
        }
        return new RefundOutcome(refundId, wanted, move);
    }

    /**
     * Gives a refund that became PROCESSING its WeChat Pay out_refund_no, {@code {order key}_R{n}}
     * as the payment service's OutRefundNo writes it, so the payment service refunds it at most
     * once and RecordRefund matches its outcome exactly. Order refunds count up from _R1 to
     * _R{@value #MAX_ORDER_REFUND_SEQUENCE}; the payment service's automatic refunds of refused
     * payments take the numbers from _R50 down, so the two never meet.
     */
    static String assignOutRefundNo(Connection c, UUID orderId, UUID refundId) throws SQLException {
        String prefix = TradeNumbers.orderKey(orderId) + "_R";
        int highest = 0;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT out_refund_no FROM refunds WHERE order_id = ?"
                                + " AND out_refund_no IS NOT NULL")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String no = rs.getString(1);
                    if (no.startsWith(prefix)) {
                        try {
                            int n = Integer.parseInt(no.substring(prefix.length()));
                            if (n <= MAX_ORDER_REFUND_SEQUENCE) {
                                highest = Math.max(highest, n);
                            }
                        } catch (NumberFormatException e) {
                            // not a number ScanOrder issued: it takes no sequence
                        }
                    }
                }
            }
        }
        if (highest >= MAX_ORDER_REFUND_SEQUENCE) {
            throw new OrderRuleException(
                    "order "
                            + orderId
                            + " already has "
                            + MAX_ORDER_REFUND_SEQUENCE
                            + " refunds, the most WeChat Pay numbers leave for staff and diner"
                            + " refunds; refund the rest in the WeChat Pay merchant platform");
        }
        String outRefundNo = prefix + (highest + 1);
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE refunds SET out_refund_no = ? WHERE refund_id = ?")) {
            ps.setString(1, outRefundNo);
            ps.setObject(2, refundId);
            ps.executeUpdate();
        }
        return outRefundNo;
    }
}
