package io.scanorder.payment;

/**
 * A payment operation that cannot be done, with a {@link Reason} the API layer turns into a status
 * code and a message a caller can act on (it names the field, the value or what to do next).
 */
public class PaymentException extends RuntimeException {
    /** Why; the names follow gRPC's status codes so the mapping is one to one. */
    public enum Reason {
        INVALID_ARGUMENT,
        NOT_FOUND,
        ALREADY_EXISTS,
        FAILED_PRECONDITION,
        OUT_OF_RANGE,
        RESOURCE_EXHAUSTED,
        UNAVAILABLE,
        INTERNAL
    }

    private final Reason reason;

    public PaymentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PaymentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
