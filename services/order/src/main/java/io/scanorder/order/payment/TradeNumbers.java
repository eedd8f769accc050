package io.scanorder.order.payment;

import java.math.BigInteger;
import java.util.UUID;

/**
 * WeChat Pay merchant order numbers for orders. WeChat allows 6-32 characters and the payment
 * service writes {@code {order}_{attempt}} with at most 28 characters of {@code [0-9A-Za-z]} for
 * the order, so the 128-bit order UUID is written in base 62: always 22 characters, reversible.
 */
public final class TradeNumbers {
    private static final String DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);
    private static final int WIDTH = 22;

    /** Highest attempt number the payment service accepts. */
    public static final int MAX_ATTEMPT = 999;

    private TradeNumbers() {}

    /** The order's 22-character base-62 key. */
    public static String orderKey(UUID orderId) {
        BigInteger n =
                new BigInteger(1, toBytes(orderId.getMostSignificantBits()))
                        .shiftLeft(64)
                        .or(new BigInteger(1, toBytes(orderId.getLeastSignificantBits())));
        char[] out = new char[WIDTH];
        for (int i = WIDTH - 1; i >= 0; i--) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            out[i] = DIGITS.charAt(qr[1].intValue());
            n = qr[0];
        }
        return new String(out);
    }

    /** Reads an order key back; IllegalArgumentException names what is wrong. */
    public static UUID orderId(String key) {
        if (key == null || key.length() != WIDTH) {
            throw new IllegalArgumentException(
                    "order key must be " + WIDTH + " base-62 characters, got '" + key + "'");
        }
        BigInteger n = BigInteger.ZERO;
        for (char c : key.toCharArray()) {
            int d = DIGITS.indexOf(c);
            if (d < 0) {
                throw new IllegalArgumentException(
                        "order key '" + key + "' has '" + c + "', not a base-62 digit");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(d));
        }
        if (n.bitLength() > 128) {
            throw new IllegalArgumentException("order key '" + key + "' is out of range");
        }
        return new UUID(n.shiftRight(64).longValue(), n.longValue());
    }

    /** The out_trade_no of one payment attempt (1-999) of an order. */
    public static String outTradeNo(UUID orderId, int attempt) {
        if (attempt < 1 || attempt > MAX_ATTEMPT) {
            throw new IllegalArgumentException(
                    "attempt must be 1-" + MAX_ATTEMPT + ", got " + attempt);
        }
        return orderKey(orderId) + "_" + attempt;
    }

    private static byte[] toBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
