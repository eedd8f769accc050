package io.scanorder.order.placement;

import io.scanorder.order.state.OrderView;

/**
 * A placed order.
 *
 * @param order the order as stored
 * @param replayed true when the idempotency key had already placed this order (nothing new was
 *     created)
 */
public record PlacementResult(OrderView order, boolean replayed) {}
