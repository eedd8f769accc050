package io.scanorder.order.store;

/** No store with the code has been applied through StoreAdmin. */
public class StoreNotAppliedException extends RuntimeException {
    public StoreNotAppliedException(String message) {
        super(message);
    }
}
