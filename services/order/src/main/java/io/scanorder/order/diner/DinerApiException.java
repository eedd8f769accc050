package io.scanorder.order.diner;

/** A refused diner request: HTTP status, a stable reason code and a message for the developer. */
public class DinerApiException extends RuntimeException {
    private final int status;
    private final String reason;
    private final long retryAfterSeconds;

    public DinerApiException(int status, String reason, String message) {
        this(status, reason, message, 0, null);
    }

    public DinerApiException(
            int status, String reason, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
