package io.scanorder.payment.store;

import java.time.Instant;

/**
 * One row of {@code refund_notices}: a refund's final outcome the order service must learn about.
 *
 * @param outcome {@link RefundState#SUCCESS} or {@link RefundState#CLOSED}
 */
public record RefundNotice(
        String outRefundNo,
        String outTradeNo,
        String orderId,
        String storeCode,
        long refundFen,
        String refundId,
        RefundState outcome,
        Instant succeededAt,
        Status status,
        int attempts,
        String lastError) {

    /** Where the notice stands; see V4__refund_notices.sql. */
    public enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }
}
