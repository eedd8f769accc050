package io.scanorder.payment.wechat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat Pay's {@code out_refund_no} for one refund of a ScanOrder order, written {@code
 * {orderId}_R{sequence}}. WeChat refunds a given {@code out_refund_no} at most once, so retrying a
 * refund request with the same value is safe, and a second partial refund needs the next sequence.
 *
 * @param orderId the ScanOrder order id, 4-28 characters of {@code [0-9A-Za-z]}
 * @param sequence the refund's number within the order, 1-50 (WeChat allows 50 refunds per trade)
 */
public record OutRefundNo(String orderId, int sequence) {
    /** WeChat's own rule for {@code out_refund_no}: 1-64 characters of {@code [0-9A-Za-z_-|*@]}. */
    public static final Pattern WECHAT_FORMAT = Pattern.compile("[0-9A-Za-z_\\-|*@]{1,64}");

    public static final int MAX_SEQUENCE = 50;

    private static final Pattern ORDER_ID = Pattern.compile("[0-9A-Za-z]{4,28}");
    private static final Pattern SCANORDER_FORMAT =
            Pattern.compile("([0-9A-Za-z]{4,28})_R([1-9][0-9]?)");

    public OutRefundNo {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException(
                    "orderId must be 4-28 characters of [0-9A-Za-z], got '" + orderId + "'");
        }
        if (sequence < 1 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException(
                    "refund sequence must be 1-"
                            + MAX_SEQUENCE
                            + ", got "
                            + sequence
                            + " for order "
                            + orderId);
        }
    }

    /** Reads an {@code out_refund_no} back, e.g. from a refund notification. */
    public static OutRefundNo parse(String value) {
        if (value == null || !WECHAT_FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "out_refund_no must be 1-64 characters of [0-9A-Za-z_-|*@], got '"
                            + value
                            + "'");
        }
        Matcher m = SCANORDER_FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "out_refund_no '"
                            + value
                            + "' was not issued by ScanOrder: expected {orderId}_R{sequence}");
        }
        int sequence = Integer.parseInt(m.group(2));
        return new OutRefundNo(m.group(1), sequence);
    }

    public String value() {
        return orderId + "_R" + sequence;
    }

    @Override
    public String toString() {
        return value();
    }
}
