package io.scanorder.payment.store;

import java.util.Locale;

/**
 * A payment's state as this service records it. States only move to a higher {@link #rank()}, so a
 * late, duplicated or reordered report from WeChat can never move a payment backwards (a paid order
 * never becomes unpaid again).
 */
public enum PaymentState {
    NOT_PAID(0),
    USER_PAYING(1),
    PAY_ERROR(2),
    CLOSED(3),
    SUCCESS(4),
    REFUNDED(5);

    private final int rank;

    PaymentState(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** Paid, whether or not (part of) it was refunded since. */
    public boolean isPaid() {
        return this == SUCCESS || this == REFUNDED;
    }

    /** Maps WeChat Pay's {@code trade_state}. */
    public static PaymentState fromWeChat(String tradeState) {
        return switch (tradeState == null ? "" : tradeState.toUpperCase(Locale.ROOT)) {
            case "SUCCESS" -> SUCCESS;
            case "REFUND" -> REFUNDED;
            case "NOTPAY" -> NOT_PAID;
            case "USERPAYING" -> USER_PAYING;
            case "PAYERROR" -> PAY_ERROR;
            // REVOKED only exists for payment-code trades; for JSAPI it means closed as well.
            case "CLOSED", "REVOKED" -> CLOSED;
            default ->
                    throw new IllegalArgumentException(
                            "unknown WeChat Pay trade_state '" + tradeState + "'");
        };
    }
}
