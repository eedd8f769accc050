package io.scanorder.payment.money;

/**
 * The range a single order's payment must fall in: at least 1 fen (WeChat refuses 0) and at most
 * the store's per-order limit (a guard against mistyped prices reaching a diner's phone).
 */
public record AmountLimits(Amount min, Amount max) {
    /** WeChat's own lower bound: a payment of 0 fen cannot be placed. */
    public static final Amount WECHAT_MIN = Amount.ofFen(1);

    public AmountLimits {
        if (min.compareTo(WECHAT_MIN) < 0) {
            throw new IllegalArgumentException(
                    "minimum per-order amount must be at least 0.01 yuan, got "
                            + min.toYuanString());
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    "maximum per-order amount "
                            + max.toYuanString()
                            + " is below the minimum "
                            + min.toYuanString());
        }
    }

    /** Limits from WeChat's minimum up to a store's per-order maximum. */
    public static AmountLimits upTo(Amount max) {
        return new AmountLimits(WECHAT_MIN, max);
    }

    /** Returns the amount if it is in range, else explains which bound it breaks. */
    public Amount check(String field, Amount amount) {
        if (amount.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    field
                            + " is "
                            + amount.toYuanString()
                            + " yuan, below the minimum of "
                            + min.toYuanString()
                            + " yuan per order");
        }
        if (amount.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    field
                            + " is "
                            + amount.toYuanString()
                            + " yuan, above the per-order limit of "
                            + max.toYuanString()
                            + " yuan");
        }
        return amount;
    }
}
