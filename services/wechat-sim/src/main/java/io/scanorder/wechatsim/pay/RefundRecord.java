package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One refund as WeChat Pay holds it; status changes go through {@link TradeBook}. */
final class RefundRecord {
    final Trade trade;
    final String outRefundNo;
    final String refundId;
    final String reason;
    final String notifyUrl;
    final long amount;
    final Instant createdAt;
    final List<RefundGoodsView> goods;

    /** The refund body as sent, for idempotency checks. */
    final JsonNode request;

    RefundStatus status = RefundStatus.PROCESSING;
    Instant successTime;

    RefundRecord(
            Trade trade,
            String outRefundNo,
            String refundId,
            String reason,
            String notifyUrl,
            long amount,
            Instant createdAt,
            List<RefundGoodsView> goods,
            JsonNode request) {
        this.trade = trade;
        this.outRefundNo = outRefundNo;
        this.refundId = refundId;
        this.reason = reason;
        this.notifyUrl = notifyUrl;
        this.amount = amount;
        this.createdAt = createdAt;
        this.goods = goods;
        this.request = request;
    }

    RefundView view() {
        return new RefundView(
                trade.mchid,
                trade.subMchid,
                trade.outTradeNo,
                outRefundNo,
                refundId,
                status,
                amount,
                trade.total,
                createdAt,
                successTime,
                goods);
    }
}
