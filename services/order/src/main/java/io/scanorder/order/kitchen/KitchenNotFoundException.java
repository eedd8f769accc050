package io.scanorder.order.kitchen;

/** An unknown store or an unregistered device (gRPC NOT_FOUND). */
public class KitchenNotFoundException extends RuntimeException {
    public KitchenNotFoundException(String message) {
        super(message);
    }
}
