package io.scanorder.order.state;

/** An amount exceeds what the order allows (e.g. more than is paid and not yet refunded). */
public class AmountOutOfRangeException extends RuntimeException {
    public AmountOutOfRangeException(String message) {
        super(message);
    }
}
