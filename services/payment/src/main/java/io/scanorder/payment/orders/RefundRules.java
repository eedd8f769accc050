package io.scanorder.payment.orders;

import com.google.protobuf.Timestamp;
import io.scanorder.payment.Payments.RefundGoods;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderEvent;
import io.scanorder.proto.order.v1.OrderLine;
import io.scanorder.proto.order.v1.OrderState;
import io.scanorder.proto.order.v1.Refund;
import io.scanorder.proto.order.v1.RefundLine;
import io.scanorder.proto.order.v1.RefundState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order-side refund rules (docs/order-states.md), checked a second time by the payment service
 * against the order's own record before money moves, so a caller that is not the order service, or
 * an order service that is wrong, cannot refund what the rules forbid:
 *
 * <ul>
 *   <li>the order has an approved (PROCESSING) refund under this out_refund_no, for exactly this
 *       amount and these goods;
 *   <li>a diner decided it alone only while the order was not yet accepted, and only for everything
 *       still paid (self-service before acceptance);
 *   <li>otherwise staff decided it (staff approval while the kitchen works);
 *   <li>it was decided before the order was served (none after serving).
 * </ul>
 *
 * The sum of refunds is not checked here: the payment service's own ledger caps it, under
 * concurrent requests too.
 */
public final class RefundRules {
    private static final Set<OrderState> SERVED_OR_LATER =
            Set.of(
                    OrderState.ORDER_STATE_SERVED,
                    OrderState.ORDER_STATE_COMPLETED,
                    OrderState.ORDER_STATE_REVIEWED);

    private RefundRules() {}

    /** One goods line as compared: SKU, quantity and amount. */
    private record Goods(String sku, int quantity, long fen) {
        @Override
        public String toString() {
            return sku + " x" + quantity + " = " + fen + " fen";
        }
    }

    /**
     * Why the refund may not be paid out, or empty when the order's record allows it.
     *
     * @param order the order as the order service reports it (GetOrder)
     */
    public static Optional<String> refusal(
            Order order,
            String storeCode,
            String outRefundNo,
            long refundFen,
            List<RefundGoods> goods) {
        String id = order.getOrderId();
        if (!order.getStoreCode().equals(storeCode)) {
            return Optional.of(
                    "order "
                            + id
                            + " belongs to store "
                            + order.getStoreCode()
                            + ", not to store "
                            + storeCode);
        }
        Refund refund = null;
        for (Refund r : order.getRefundsList()) {
            if (r.getOutRefundNo().equals(outRefundNo)) {
                refund = r;
            }
        }
        if (refund == null) {
            return Optional.of(
                    "order "
                            + id
                            + " has no refund numbered "
                            + outRefundNo
                            + "; refunds are requested and approved in the order service"
                            + " (OrderService.RequestRefund, ApproveRefund), which then asks for"
                            + " them");
        }
        String which = "refund " + outRefundNo + " of order " + id;
        if (refund.getState() != RefundState.REFUND_STATE_PROCESSING) {
            return Optional.of(
                    which
                            + " is "
                            + name(refund.getState())
                            + " at the order service, not PROCESSING (approved and waiting for"
                            + " WeChat Pay)");
        }
        if (refund.getRefundFen() != refundFen) {
            return Optional.of(
                    which
                            + " was approved for "
                            + refund.getRefundFen()
                            + " fen, not "
                            + refundFen
                            + " fen");
        }
        Optional<String> goodsRefusal = goodsRefusal(order, refund, goods, which);
        if (goodsRefusal.isPresent()) {
            return goodsRefusal;
        }
        if (order.getPaidFen() < 1) {
            return Optional.of("order " + id + " has no payment on record to refund");
        }
        if (!refund.hasDecidedBy() || !refund.hasDecidedAt()) {
            return Optional.of(which + " has no recorded decision (who approved it, and when)");
        }
        Instant decidedAt = instant(refund.getDecidedAt());
        String decider =
                name(refund.getDecidedBy().getKind()) + ":" + refund.getDecidedBy().getId();
        Optional<Instant> served = firstReached(order, SERVED_OR_LATER);
        if (served.isPresent() && !served.get().isAfter(decidedAt)) {
            return Optional.of(
                    which
                            + " was approved by "
                            + decider
                            + " at "
                            + decidedAt
                            + ", but the order was served at "
                            + served.get()
                            + "; refunds are not allowed from SERVED on");
        }
        ActorKind kind = refund.getDecidedBy().getKind();
        if (kind == ActorKind.ACTOR_KIND_STAFF) {
            return Optional.empty();
        }
        if (kind != ActorKind.ACTOR_KIND_DINER) {
            return Optional.of(
                    which
                            + " was decided by "
                            + decider
                            + "; order refunds are decided by staff, or by the diner alone before"
                            + " acceptance");
        }
        Optional<Instant> accepted =
                firstReached(
                        order,
                        Set.of(
                                OrderState.ORDER_STATE_ACCEPTED,
                                OrderState.ORDER_STATE_DISPATCHING,
                                OrderState.ORDER_STATE_COOKING,
                                OrderState.ORDER_STATE_READY));
        if (accepted.isPresent() && !accepted.get().isAfter(decidedAt)) {
            return Optional.of(
                    which
                            + " was decided by the diner ("
                            + decider
                            + ") at "
                            + decidedAt
                            + " without staff approval, but the order was accepted at "
                            + accepted.get()
                            + "; once accepted, refunds need staff approval");
        }
        long others = 0;
        for (Refund r : order.getRefundsList()) {
            if (r != refund
                    && (r.getState() == RefundState.REFUND_STATE_PROCESSING
                            || r.getState() == RefundState.REFUND_STATE_SUCCEEDED)) {
                others += r.getRefundFen();
            }
        }
        if (others + refundFen != order.getPaidFen()) {
            return Optional.of(
                    which
                            + " was decided by the diner ("
                            + decider
                            + ") for "
                            + refundFen
                            + " fen; a diner's own refund must be everything still paid ("
                            + (order.getPaidFen() - others)
                            + " fen)");
        }
        return Optional.empty();
    }

    private static Optional<String> goodsRefusal(
            Order order, Refund refund, List<RefundGoods> goods, String which) {
        Map<String, OrderLine> lines = new HashMap<>();
        for (OrderLine l : order.getLinesList()) {
            lines.put(l.getLineId(), l);
        }
        List<Goods> approved = new ArrayList<>();
        for (RefundLine rl : refund.getLinesList()) {
            OrderLine line = lines.get(rl.getLineId());
            String sku = line == null ? "line " + rl.getLineId() : line.getSkuCode();
            approved.add(new Goods(sku, rl.getQuantity(), rl.getRefundFen()));
        }
        List<Goods> asked = new ArrayList<>();
        for (RefundGoods g : goods) {
            asked.add(new Goods(g.merchantGoodsId(), g.refundQuantity(), g.refundFen()));
        }
        Comparator<Goods> bySku =
                Comparator.comparing(Goods::sku)
                        .thenComparingInt(Goods::quantity)
                        .thenComparingLong(Goods::fen);
        approved.sort(bySku);
        asked.sort(bySku);
        if (approved.equals(asked)) {
            return Optional.empty();
        }
        return Optional.of(
                which
                        + " was approved for goods "
                        + (approved.isEmpty() ? "(none: a refund of an amount)" : approved)
                        + ", but the request names "
                        + (asked.isEmpty() ? "none" : asked));
    }

    /** When the order first moved into one of {@code states}, if it did. */
    private static Optional<Instant> firstReached(Order order, Set<OrderState> states) {
        Instant first = null;
        for (OrderEvent e : order.getEventsList()) {
            if (states.contains(e.getToState())) {
                Instant at = instant(e.getOccurredAt());
                if (first == null || at.isBefore(first)) {
                    first = at;
                }
            }
        }
        return Optional.ofNullable(first);
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** ACTOR_KIND_STAFF -> STAFF, REFUND_STATE_FAILED -> FAILED, as the order service says them. */
    private static String name(Enum<?> e) {
        String n = e.name();
        for (String prefix : List.of("ACTOR_KIND_", "REFUND_STATE_")) {
            if (n.startsWith(prefix)) {
                return n.substring(prefix.length());
            }
        }
        return n;
    }
}
