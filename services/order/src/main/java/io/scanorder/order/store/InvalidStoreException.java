package io.scanorder.order.store;

/** Store content was refused; the message starts with the contract field path of the problem. */
public class InvalidStoreException extends IllegalArgumentException {
    public InvalidStoreException(String fieldPath, String problem) {
        super(fieldPath + ": " + problem);
    }
}
