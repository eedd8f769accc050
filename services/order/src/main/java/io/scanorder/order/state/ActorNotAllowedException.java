package io.scanorder.order.state;

/**
 * The move exists in the state machine but the acting party's kind may not make it (e.g. a diner
 * asking to serve food); maps to PERMISSION_DENIED.
 */
public class ActorNotAllowedException extends IllegalTransitionException {
    public ActorNotAllowedException(
            String orderRef, OrderState from, OrderState to, String reason) {
        super(orderRef, from, to, reason);
    }
}
