package io.scanorder.wechatsim.pay.notify;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * One attempt to deliver a notification, as recorded for test assertions.
 *
 * @param notificationId the notification's {@code id}; duplicates and retries share it
 * @param subject out_trade_no for payments, out_refund_no for refunds
 * @param copy which copy (1-based) when the notification was duplicated
 * @param attempt 1-based attempt number of that copy
 * @param httpStatus the receiver's status, 0 when there was no answer
 */
public record Delivery(
        String notificationId,
        String mchid,
        String eventType,
        String subject,
        String url,
        int copy,
        int attempt,
        @JsonSerialize(using = ToStringSerializer.class) Instant at,
        int httpStatus,
        DeliveryOutcome outcome) {}
