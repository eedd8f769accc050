package io.scanorder.payment.money;

/**
 * A non-negative amount of Chinese yuan held in fen (1 yuan = 100 fen), the unit WeChat Pay uses.
 * Arithmetic is exact long arithmetic; no floating point is involved anywhere.
 */
public record Amount(long fen) implements Comparable<Amount> {
    /** The only currency WeChat Pay v3 accepts for JSAPI payments to a mainland merchant. */
    public static final String CURRENCY = "CNY";

    public static final Amount ZERO = new Amount(0);

    public Amount {
        if (fen < 0) {
            throw new IllegalArgumentException("amount must not be negative, got " + fen + " fen");
        }
    }

    public static Amount ofFen(long fen) {
        return new Amount(fen);
    }

    /** An amount as WeChat reports it: total in fen plus a currency code, which must be CNY. */
    public static Amount of(long fen, String currency) {
        if (!CURRENCY.equals(currency)) {
            throw new IllegalArgumentException(
                    "currency must be " + CURRENCY + ", got '" + currency + "'");
        }
        return new Amount(fen);
    }

    /**
     * Parses a yuan amount written with at most two decimals, such as {@code 12}, {@code 12.3} or
     * {@code 12.30}; anything else (signs, exponents, thousands separators, a third decimal) is
     * refused rather than rounded.
     */
    public static Amount parseYuan(String text) {
        if (text == null || !text.matches("[0-9]{1,16}(\\.[0-9]{1,2})?")) {
            throw new IllegalArgumentException(
                    "yuan amount must look like 12, 12.3 or 12.30, got '" + text + "'");
        }
        int dot = text.indexOf('.');
        long yuan = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
        long fen = 0;
        if (dot >= 0) {
            String decimals = text.substring(dot + 1);
            fen = Long.parseLong(decimals.length() == 1 ? decimals + "0" : decimals);
        }
        return new Amount(Math.addExact(Math.multiplyExact(yuan, 100), fen));
    }

    public Amount plus(Amount other) {
        return new Amount(Math.addExact(fen, other.fen));
    }

    /** The difference; refused when it would go below zero (e.g. refunding more than was paid). */
    public Amount minus(Amount other) {
        if (other.fen > fen) {
            throw new IllegalArgumentException(
                    "cannot subtract "
                            + other.toYuanString()
                            + " from "
                            + toYuanString()
                            + " yuan");
        }
        return new Amount(fen - other.fen);
    }

    public boolean isZero() {
        return fen == 0;
    }

    /** The amount in yuan with exactly two decimals, e.g. {@code 1234.50}, for display. */
    public String toYuanString() {
        return (fen / 100) + "." + String.format("%02d", fen % 100);
    }

    @Override
    public int compareTo(Amount other) {
        return Long.compare(fen, other.fen);
    }

    @Override
    public String toString() {
        return toYuanString() + " " + CURRENCY;
    }
}
