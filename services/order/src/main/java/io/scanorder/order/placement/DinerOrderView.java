package io.scanorder.order.placement;

import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as the diner API shows it: like {@link OrderView} but without staff identities (events
 * and refunds name only the kind of party that acted).
 */
public record DinerOrderView(
        UUID orderId,
        String pickupNumber,
        String storeCode,
        String tableCode,
        OrderState state,
        List<Line> lines,
        long totalFen,
        long paidFen,
        long refundedFen,
        String remark,
        int partySize,
        Instant createdAt,
        Instant updatedAt,
        Instant paymentDeadline,
        List<Event> events,
        List<Refund> refunds) {

    /**
     * One priced line, with the price in force when the order was placed.
     *
     * @param lineId names the line in a single-item refund request
     */
    public record Line(
            UUID lineId,
            String skuCode,
            String name,
            String spec,
            long unitPriceFen,
            int quantity,
            long lineTotalFen,
            String note) {}

    /** One state change; {@code from} is null for the placement itself. */
    public record Event(
            OrderState from, OrderState to, String actorKind, String reason, Instant occurredAt) {}

    /**
     * One refund and where it stands.
     *
     * @param lines the order lines it covers; empty for a refund of an amount
     */
    public record Refund(
            UUID refundId,
            long refundFen,
            String state,
            String reason,
            Instant requestedAt,
            List<RefundLine> lines) {}

    /** One order line (or part of it) a refund covers. */
    public record RefundLine(UUID lineId, int quantity, long refundFen) {}

    static DinerOrderView of(OrderView o) {
        return new DinerOrderView(
                o.orderId(),
                o.pickupNumber(),
                o.storeCode(),
                o.tableCode(),
                o.state(),
                o.lines().stream()
                        .map(
                                l ->
                                        new Line(
                                                l.lineId(),
                                                l.skuCode(),
                                                l.name(),
                                                l.spec(),
                                                l.unitPriceFen(),
                                                l.quantity(),
                                                l.lineTotalFen(),
                                                l.note()))
                        .toList(),
                o.totalFen(),
                o.paidFen(),
                o.refundedFen(),
                o.remark(),
                o.partySize(),
                o.createdAt(),
                o.updatedAt(),
                o.paymentDeadline(),
                o.events().stream()
                        .map(
                                e ->
                                        new Event(
                                                e.from(),
                                                e.to(),
                                                e.actor().kind().name(),
                                                e.reason(),
                                                e.occurredAt()))
                        .toList(),
                o.refunds().stream()
                        .map(
                                r ->
                                        new Refund(
                                                r.refundId(),
                                                r.refundFen(),
                                                r.state(),
                                                r.reason(),
                                                r.requestedAt(),
                                                r.lines().stream()
                                                        .map(
                                                                l ->
                                                                        new RefundLine(
                                                                                l.lineId(),
                                                                                l.quantity(),
                                                                                l.refundFen()))
                                                        .toList()))
                        .toList());
    }
}
