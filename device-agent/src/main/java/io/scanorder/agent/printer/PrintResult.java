package io.scanorder.agent.printer;

import java.util.Objects;

/**
 * The outcome of one print job.
 *
 * @param confirmed true only if the status after printing showed no problem
 * @param reason why it failed, null when confirmed
 * @param detail what exactly went wrong, for logs and the failed ack; empty when confirmed
 * @param status the last status read from the printer (paper low is reported here, not as a
 *     failure)
 */
public record PrintResult(
        boolean confirmed, FailureReason reason, String detail, PrinterStatus status) {

    public PrintResult {
        Objects.requireNonNull(status, "status");
        if (confirmed != (reason == null)) {
            throw new IllegalArgumentException("a failure needs a reason, a success none");
        }
    }

    public static PrintResult confirmed(PrinterStatus status) {
        return new PrintResult(true, null, "", status);
    }

    public static PrintResult failed(FailureReason reason, String detail, PrinterStatus status) {
        return new PrintResult(false, Objects.requireNonNull(reason, "reason"), detail, status);
    }
}
