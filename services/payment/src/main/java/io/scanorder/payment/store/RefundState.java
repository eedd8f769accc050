package io.scanorder.payment.store;

import java.util.Locale;

/**
 * A refund's state. PROCESSING can become ABNORMAL, SUCCESS or CLOSED, and ABNORMAL can still end
 * as SUCCESS or CLOSED once staff act; the ranks make reordered reports harmless.
 */
public enum RefundState {
    PROCESSING(1),
    ABNORMAL(2),
    SUCCESS(3),
    CLOSED(3);

    private final int rank;

    RefundState(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** Maps WeChat Pay's refund {@code status}. */
    public static RefundState fromWeChat(String status) {
        try {
            return valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown WeChat Pay refund status '" + status + "'");
        }
    }
}
