package io.scanorder.payment.store;

import java.time.Instant;

/**
 * What WeChat Pay said about a payment (query answer or notification), to be applied to the stored
 * payment.
 */
public record StateReport(
        PaymentState state,
        String stateDescription,
        String transactionId,
        Long payerTotalFen,
        Instant paidAt) {}
