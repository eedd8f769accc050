package io.scanorder.payment.wechat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat Pay's {@code out_trade_no} for one payment attempt of a ScanOrder order, written {@code
 * {orderId}_{attempt}}. A closed WeChat trade can never be reopened, so a diner who pays again
 * after a timeout gets a new attempt number and thus a new {@code out_trade_no}.
 *
 * @param orderId the ScanOrder order id, 4-28 characters of {@code [0-9A-Za-z]}
 * @param attempt the payment attempt, 1-999
 */
public record OutTradeNo(String orderId, int attempt) {
    /** WeChat's own rule for {@code out_trade_no}: 6-32 characters of {@code [0-9A-Za-z_-|*]}. */
    public static final Pattern WECHAT_FORMAT = Pattern.compile("[0-9A-Za-z_\\-|*]{6,32}");

    public static final int MAX_ATTEMPT = 999;

    private static final Pattern ORDER_ID = Pattern.compile("[0-9A-Za-z]{4,28}");
    private static final Pattern SCANORDER_FORMAT =
            Pattern.compile("([0-9A-Za-z]{4,28})_([1-9][0-9]{0,2})");

    public OutTradeNo {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException(
                    "orderId must be 4-28 characters of [0-9A-Za-z], got '" + orderId + "'");
        }
        if (attempt < 1 || attempt > MAX_ATTEMPT) {
            throw new IllegalArgumentException(
                    "attempt must be 1-"
                            + MAX_ATTEMPT
                            + ", got "
                            + attempt
                            + " for order "
                            + orderId);
        }
    }

    /** The first payment attempt of an order. */
    public static OutTradeNo first(String orderId) {
        return new OutTradeNo(orderId, 1);
    }

    /** The attempt after this one, for paying again once this trade is closed. */
    public OutTradeNo nextAttempt() {
        if (attempt == MAX_ATTEMPT) {
            throw new IllegalStateException(
                    "order " + orderId + " has used all " + MAX_ATTEMPT + " payment attempts");
        }
        return new OutTradeNo(orderId, attempt + 1);
    }

    /**
     * Reads an {@code out_trade_no} back, e.g. from a payment notification. Refuses values that
     * break WeChat's rules and values WeChat accepts but ScanOrder never issues.
     */
    public static OutTradeNo parse(String value) {
        if (value == null || !WECHAT_FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "out_trade_no must be 6-32 characters of [0-9A-Za-z_-|*], got '" + value + "'");
        }
        Matcher m = SCANORDER_FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "out_trade_no '"
                            + value
                            + "' was not issued by ScanOrder: expected {orderId}_{attempt}");
        }
        return new OutTradeNo(m.group(1), Integer.parseInt(m.group(2)));
    }

    /** The value sent to WeChat. */
    public String value() {
        return orderId + "_" + attempt;
    }

    @Override
    public String toString() {
        return value();
    }
}
