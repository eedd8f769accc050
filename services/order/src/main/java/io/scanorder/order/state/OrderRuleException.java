package io.scanorder.order.state;

/**
 * A request is well formed but the order's current situation forbids it (for example a refund that
 * was already decided the other way); maps to FAILED_PRECONDITION.
 */
public class OrderRuleException extends RuntimeException {
    public OrderRuleException(String message) {
        super(message);
    }
}
