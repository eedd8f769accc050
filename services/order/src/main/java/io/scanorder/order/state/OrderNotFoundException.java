package io.scanorder.order.state;

/** No order, refund or store with the given id or code exists. */
public class OrderNotFoundException extends RuntimeException {
    public OrderNotFoundException(String message) {
        super(message);
    }
}
