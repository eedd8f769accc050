package io.scanorder.order.table;

/** A table code or scene was refused; {@link #reason()} says why, the message says what. */
public class TableCodeException extends RuntimeException {
    private final TableCodeError reason;

    public TableCodeException(TableCodeError reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TableCodeError reason() {
        return reason;
    }
}
