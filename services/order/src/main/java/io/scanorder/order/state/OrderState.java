package io.scanorder.order.state;

/**
 * Where an order is in its life. Names match the proto enum {@code scanorder.order.v1.OrderState}
 * without its {@code ORDER_STATE_} prefix and the {@code orders.state} CHECK constraint; the
 * allowed moves between them are in {@link OrderStateMachine}.
 */
public enum OrderState {
    /** Placed, waiting for payment; closes after the store's payment timeout. */
    PENDING_PAYMENT("placed, waiting for payment; closed after the store's payment timeout"),
    /** Paid, waiting for staff to accept. */
    PAID("paid, waiting for staff to accept"),
    /** Accepted by staff; kitchen tickets are in the outbox. */
    ACCEPTED("accepted by staff; kitchen tickets are in the outbox"),
    /** Tickets are being delivered to kitchen devices. */
    DISPATCHING("tickets are being delivered to kitchen devices"),
    /** Every ticket was acknowledged; the kitchen is cooking. */
    COOKING("every ticket was acknowledged by a device; the kitchen is cooking"),
    /** Food is ready for pickup or serving. */
    READY("food is ready for pickup or serving"),
    /** Food reached the table; no refunds from here on. */
    SERVED("food reached the table; no refunds from here on"),
    /** Finished. */
    COMPLETED("finished"),
    /** Finished and reviewed by the diner. */
    REVIEWED("finished and reviewed by the diner"),
    /** Cancelled before payment. */
    CANCELLED("cancelled before payment"),
    /** Payment timed out before it was made. */
    CLOSED("payment timed out before it was made"),
    /** A refund of everything still paid is in progress; the order is stopped. */
    REFUNDING(
            "a refund of everything still paid is in progress at the payment provider; the"
                    + " order is stopped"),
    /** The whole paid amount was refunded. */
    REFUNDED("the whole paid amount was refunded"),
    /** A refund of everything still paid ended with only part of it refunded. */
    PARTIALLY_REFUNDED(
            "a refund of everything still paid ended with only part of it refunded (e.g. a"
                    + " refund was closed without paying out); staff may refund the rest or close"
                    + " the order out");

    private final String meaning;

    OrderState(String meaning) {
        this.meaning = meaning;
    }

    /** One-line meaning, as documented in docs/order-states.md. */
    public String meaning() {
        return meaning;
    }

    /**
     * Parses a stored or client-supplied state name.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static OrderState parse(String name) {
        for (OrderState s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown order state '"
                        + name
                        + "'; expected one of "
                        + java.util.Arrays.toString(values()));
    }
}
