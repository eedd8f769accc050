package io.scanorder.order.state;

/** The kinds of party that can move an order (stored in {@code order_events.actor_kind}). */
public enum ActorKind {
    /** A diner using the mini program. */
    DINER,
    /** A restaurant employee (staff screen, POS). */
    STAFF,
    /** The platform itself: timeouts, kitchen acknowledgements. */
    SYSTEM,
    /** The payment service: payment and refund notifications. */
    PAYMENT
}
