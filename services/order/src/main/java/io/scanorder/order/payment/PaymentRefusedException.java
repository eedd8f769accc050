package io.scanorder.order.payment;

/**
 * A payment the order can no longer take (closed, cancelled, paid by another transaction, wrong
 * amount). Answered with FAILED_PRECONDITION, which tells the payment service to refund it.
 */
public class PaymentRefusedException extends RuntimeException {
    public PaymentRefusedException(String message) {
        super(message);
    }
}
