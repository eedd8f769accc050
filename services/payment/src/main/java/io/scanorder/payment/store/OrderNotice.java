package io.scanorder.payment.store;

import java.time.Instant;

/**
 * One row of {@code order_notices}: a recorded payment the order service must learn about.
 *
 * @param paidFen the payment's order amount in fen (before WeChat coupons)
 */
public record OrderNotice(
        String outTradeNo,
        String orderId,
        String storeCode,
        long paidFen,
        String transactionId,
        Instant paidAt,
        Status status,
        int attempts,
        String lastError) {

    /** Where the notice stands; see V2__order_notices.sql. */
    public enum Status {
        PENDING,
        DELIVERED,
        REFUNDING,
        REFUNDED,
        FAILED
    }
}
