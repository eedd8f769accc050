package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a simulated refund, for test assertions; amounts in fen.
 *
 * @param goods the goods_detail of a single-item refund; empty for a refund of an amount
 */
public record RefundView(
        String mchid,
        String subMchid,
        String outTradeNo,
        String outRefundNo,
        String refundId,
        RefundStatus status,
        long refund,
        long total,
        @JsonSerialize(using = ToStringSerializer.class) Instant createdAt,
        @JsonSerialize(using = ToStringSerializer.class) Instant successTime,
        List<RefundGoodsView> goods) {}
