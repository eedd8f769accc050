package io.scanorder.payment.store;

import java.time.Instant;

/** One row of {@code payments}: a payment attempt (one out_trade_no) and its last known state. */
public record PaymentRecord(
        String outTradeNo,
        String storeCode,
        String orderId,
        String description,
        long amountFen,
        String payerOpenid,
        Instant expiresAt,
        String prepayId,
        PaymentState state,
        String stateDescription,
        String transactionId,
        Long payerTotalFen,
        Instant paidAt) {}
