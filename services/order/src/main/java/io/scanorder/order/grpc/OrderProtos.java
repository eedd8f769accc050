package io.scanorder.order.grpc;

import com.google.protobuf.Timestamp;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderView;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderEvent;
import io.scanorder.proto.order.v1.OrderLine;
import io.scanorder.proto.order.v1.Refund;
import io.scanorder.proto.order.v1.RefundLine;
import io.scanorder.proto.order.v1.RefundState;
import java.time.Instant;
import java.util.UUID;

/** Translates between the proto contract and the domain (names are aligned by a test). */
final class OrderProtos {
    private static final String STATE_PREFIX = "ORDER_STATE_";

    private OrderProtos() {}

    static io.scanorder.proto.order.v1.OrderState toProto(OrderState state) {
        return state == null
                ? io.scanorder.proto.order.v1.OrderState.ORDER_STATE_UNSPECIFIED
                : io.scanorder.proto.order.v1.OrderState.valueOf(STATE_PREFIX + state.name());
    }

    /**
     * @throws IllegalArgumentException naming {@code field} for UNSPECIFIED or an unknown value
     */
    static OrderState fromProto(io.scanorder.proto.order.v1.OrderState state, String field) {
        if (state == io.scanorder.proto.order.v1.OrderState.ORDER_STATE_UNSPECIFIED
                || state == io.scanorder.proto.order.v1.OrderState.UNRECOGNIZED) {
            throw new IllegalArgumentException(field + " is required (got " + state + ")");
        }
        return OrderState.valueOf(state.name().substring(STATE_PREFIX.length()));
    }

    static UUID uuid(String value, String field) {
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException("wrong length");
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be a UUID, got '" + value + "'", e);
        }
    }

    /**
     * @throws IllegalArgumentException naming {@code field} when the actor is missing or incomplete
     */
    static Actor actor(boolean present, io.scanorder.proto.order.v1.Actor actor, String field) {
        if (!present) {
            throw new IllegalArgumentException(field + " is required");
        }
        ActorKind kind =
                switch (actor.getKind()) {
                    case ACTOR_KIND_DINER -> ActorKind.DINER;
                    case ACTOR_KIND_STAFF -> ActorKind.STAFF;
                    case ACTOR_KIND_SYSTEM -> ActorKind.SYSTEM;
                    case ACTOR_KIND_PAYMENT -> ActorKind.PAYMENT;
                    default ->
                            throw new IllegalArgumentException(
                                    field + ".kind is required (got " + actor.getKind() + ")");
                };
        if (actor.getId().isBlank()) {
            throw new IllegalArgumentException(field + ".id is required");
        }
        try {
            return new Actor(kind, actor.getId());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    static io.scanorder.proto.order.v1.Actor toProto(Actor actor) {
        return io.scanorder.proto.order.v1.Actor.newBuilder()
                .setKind(
                        io.scanorder.proto.order.v1.ActorKind.valueOf(
                                "ACTOR_KIND_" + actor.kind().name()))
                .setId(actor.id())
                .build();
    }

    static Order toProto(OrderView o) {
        Order.Builder b =
                Order.newBuilder()
                        .setOrderId(o.orderId().toString())
                        .setPickupNumber(o.pickupNumber())
                        .setStoreCode(o.storeCode())
                        .setTableCode(o.tableCode())
                        .setState(toProto(o.state()))
                        .setTotalFen(o.totalFen())
                        .setPaidFen(o.paidFen())
                        .setRefundedFen(o.refundedFen())
                        .setMenuRevisionHash(o.menuRevisionHash())
                        .setRemark(o.remark())
                        .setPartySize(o.partySize())
                        .setCreatedAt(ts(o.createdAt()))
                        .setUpdatedAt(ts(o.updatedAt()));
        if (o.paymentDeadline() != null) {
            b.setPaymentDeadline(ts(o.paymentDeadline()));
        }
        for (OrderView.Line l : o.lines()) {
            b.addLines(
                    OrderLine.newBuilder()
                            .setLineId(l.lineId().toString())
                            .setSkuCode(l.skuCode())
                            .setSpuCode(l.spuCode())
                            .setName(l.name())
                            .setSpec(l.spec())
                            .setStation(l.station())
                            .setUnitPriceFen(l.unitPriceFen())
                            .setQuantity(l.quantity())
                            .setLineTotalFen(l.lineTotalFen())
                            .setNote(l.note()));
        }
        for (OrderView.Event e : o.events()) {
            b.addEvents(
                    OrderEvent.newBuilder()
                            .setFromState(toProto(e.from()))
                            .setToState(toProto(e.to()))
                            .setActor(toProto(e.actor()))
                            .setReason(e.reason())
                            .setOccurredAt(ts(e.occurredAt())));
        }
        for (OrderView.Refund r : o.refunds()) {
            Refund.Builder rb =
                    Refund.newBuilder()
                            .setRefundId(r.refundId().toString())
                            .setRefundFen(r.refundFen())
                            .setState(RefundState.valueOf("REFUND_STATE_" + r.state()))
                            .setReason(r.reason())
                            .setRequestedBy(toProto(r.requestedBy()))
                            .setRequestedAt(ts(r.requestedAt()));
            if (r.decidedBy() != null) {
                rb.setDecidedBy(toProto(r.decidedBy()));
            }
            if (r.decidedAt() != null) {
                rb.setDecidedAt(ts(r.decidedAt()));
            }
            if (r.outRefundNo() != null) {
                rb.setOutRefundNo(r.outRefundNo());
            }
            for (OrderView.RefundLine l : r.lines()) {
                rb.addLines(
                        RefundLine.newBuilder()
                                .setLineId(l.lineId().toString())
                                .setQuantity(l.quantity())
                                .setRefundFen(l.refundFen()));
            }
            b.addRefunds(rb);
        }
        return b.build();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
