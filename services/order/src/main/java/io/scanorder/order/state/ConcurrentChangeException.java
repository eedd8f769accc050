package io.scanorder.order.state;

/**
 * Another request changed the order between this request's read and its conditional update; the
 * caller should read the order again and decide whether to retry.
 */
public class ConcurrentChangeException extends RuntimeException {
    public ConcurrentChangeException(String message) {
        super(message);
    }
}
