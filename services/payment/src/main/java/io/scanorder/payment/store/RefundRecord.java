package io.scanorder.payment.store;

import java.time.Instant;

/** One row of {@code refunds}; {@code refundId} is null until WeChat Pay has accepted it. */
public record RefundRecord(
        String outRefundNo,
        String outTradeNo,
        long refundFen,
        String reason,
        String refundId,
        RefundState state,
        Instant succeededAt) {}
