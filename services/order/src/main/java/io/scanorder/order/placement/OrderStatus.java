package io.scanorder.order.placement;

import io.scanorder.order.state.OrderState;
import java.time.Instant;
import java.util.UUID;

/**
 * What a live update tells a diner: the order's state after a transition.
 *
 * @param version increases with every change; clients may ignore an update not newer than the last
 *     they saw
 */
public record OrderStatus(
        UUID orderId,
        String pickupNumber,
        OrderState state,
        long version,
        long totalFen,
        long paidFen,
        long refundedFen,
        Instant updatedAt) {}
