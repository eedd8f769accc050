package io.scanorder.payment.store;

/** The database could not carry out a statement (unreachable, or conflicts persisted). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
