package io.scanorder.order.table;

/**
 * WeChat refused or could not make a table's mini-program code, so the QR sheet cannot be printed;
 * the message names the table, WeChat's errcode and what to check.
 */
public class WxaCodeException extends RuntimeException {
    private final int errcode;

    public WxaCodeException(String message, int errcode, Throwable cause) {
        super(message, cause);
        this.errcode = errcode;
    }

    /** WeChat's errcode, or 0 when WeChat could not be reached. */
    public int errcode() {
        return errcode;
    }
}
