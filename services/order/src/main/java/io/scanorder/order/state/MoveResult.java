package io.scanorder.order.state;

import java.util.UUID;

/**
 * Outcome of one requested move.
 *
 * @param orderId the order
 * @param from state before the request
 * @param to state after the request
 * @param actor who asked
 * @param changed false when the order already was in the requested state (idempotent repeat)
 */
public record MoveResult(
        UUID orderId, OrderState from, OrderState to, Actor actor, boolean changed) {}
