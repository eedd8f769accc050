package io.scanorder.order.state;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as read for staff and diners: header, priced lines, state history and refunds.
 *
 * @param paymentDeadline null once paid
 */
public record OrderView(
        UUID orderId,
        String pickupNumber,
        String storeCode,
        String tableCode,
        OrderState state,
        List<Line> lines,
        long totalFen,
        long paidFen,
        long refundedFen,
        String menuRevisionHash,
        String remark,
        int partySize,
        Instant createdAt,
        Instant updatedAt,
        Instant paymentDeadline,
        List<Event> events,
        List<Refund> refunds) {

    /** One priced line (a snapshot of the menu at order time). */
    public record Line(
            UUID lineId,
            String skuCode,
            String spuCode,
            String name,
            String spec,
            String station,
            long unitPriceFen,
            int quantity,
            long lineTotalFen,
            String note) {}

    /**
     * One recorded state change.
     *
     * @param from null for the creation event
     */
    public record Event(
            OrderState from, OrderState to, Actor actor, String reason, Instant occurredAt) {}

    /**
     * One refund.
     *
     * @param decidedBy null while waiting for a decision
     * @param lines the order lines it covers; empty for a refund of an amount
     * @param outRefundNo the WeChat Pay number it is refunded under; null until approved
     * @param decidedAt when it was approved or declined; null while waiting
     */
    public record Refund(
            UUID refundId,
            long refundFen,
            String state,
            String reason,
            Actor requestedBy,
            Actor decidedBy,
            Instant requestedAt,
            List<RefundLine> lines,
            String outRefundNo,
            Instant decidedAt) {}

    /** One order line (or part of it) a single-item refund covers. */
    public record RefundLine(UUID lineId, int quantity, long refundFen) {}
}
