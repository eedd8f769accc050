package io.scanorder.order.db;

/** A unit of work failed for good: a non-retryable error, or retries ran out. */
public class TransactionFailedException extends RuntimeException {
    private final int attempts;
    private final String sqlState;

    TransactionFailedException(String message, int attempts, String sqlState, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.sqlState = sqlState;
    }

    /** How many times the unit of work ran. */
    public int attempts() {
        return attempts;
    }

    /** SQLSTATE of the last failure, or null when it was not an SQL error. */
    public String sqlState() {
        return sqlState;
    }
}
