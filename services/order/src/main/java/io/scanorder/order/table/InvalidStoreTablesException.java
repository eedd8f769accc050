package io.scanorder.order.table;

/** A {@link StoreTables} was refused; the message starts with the field path of the problem. */
public class InvalidStoreTablesException extends IllegalArgumentException {
    public InvalidStoreTablesException(String fieldPath, String problem) {
        super(fieldPath + ": " + problem);
    }
}
