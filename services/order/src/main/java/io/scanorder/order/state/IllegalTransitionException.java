package io.scanorder.order.state;

/** A move the order state machine does not allow; the message names the order and both states. */
public class IllegalTransitionException extends RuntimeException {
    private final OrderState from;
    private final OrderState to;

    public IllegalTransitionException(
            String orderRef, OrderState from, OrderState to, String reason) {
        super("cannot move order " + orderRef + " from " + from + " to " + to + ": " + reason);
        this.from = from;
        this.to = to;
    }

    /** The order's state when the move was refused. */
    public OrderState from() {
        return from;
    }

    /** The state that was asked for. */
    public OrderState to() {
        return to;
    }
}
