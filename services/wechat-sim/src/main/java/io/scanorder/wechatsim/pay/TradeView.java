package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * A snapshot of a simulated transaction, for test assertions.
 *
 * @param mchid the merchant (or, in service-provider mode, the service provider) that placed it
 * @param subMchid the sub-merchant in service-provider mode, else null
 * @param transactionId WeChat's order number once paid, else null
 * @param refunded fen refunded or being refunded
 */
public record TradeView(
        String mchid,
        String subMchid,
        String outTradeNo,
        String prepayId,
        String transactionId,
        TradeState state,
        long total,
        long refunded,
        String openid,
        String description,
        String notifyUrl,
        @JsonSerialize(using = ToStringSerializer.class) Instant createdAt,
        @JsonSerialize(using = ToStringSerializer.class) Instant successTime) {}
