package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;

/** A validated {@code POST /v3/refund/domestic/refunds} request; amounts in fen. */
record RefundOrder(
        String subMchid,
        String outTradeNo,
        String transactionId,
        String outRefundNo,
        String reason,
        String notifyUrl,
        long refund,
        long total,
        JsonNode raw) {

    static RefundOrder parse(JsonBody body) {
        String outTradeNo = body.merchantNo("out_trade_no", 1, 32, false);
        String transactionId = body.optionalText("transaction_id", 32);
        if (outTradeNo == null && transactionId == null) {
            throw PayApiException.paramError(
                    "out_trade_no", "body", "or transaction_id is required");
        }
        RefundOrder order =
                new RefundOrder(
                        body.optionalText("sub_mchid", 32),
                        outTradeNo,
                        transactionId,
                        body.merchantNo("out_refund_no", 1, 64, true),
                        body.optionalText("reason", 80),
                        body.notifyUrl("notify_url", false),
                        body.fen("amount.refund"),
                        body.fen("amount.total"),
                        body.root());
        body.requireCurrencyCny("amount.currency");
        validateGoodsDetail(body.root().get("goods_detail"), order.refund());
        return order;
    }

    /** Single-item refunds: each line complete, and together no more than the refund amount. */
    private static void validateGoodsDetail(JsonNode goods, long refund) {
        if (goods == null || goods.isNull()) {
            return;
        }
        if (!goods.isArray() || goods.isEmpty()) {
            throw PayApiException.paramError("goods_detail", "body", "must be a non-empty array");
        }
        long sum = 0;
        for (int i = 0; i < goods.size(); i++) {
            JsonNode line = goods.get(i);
            String at = "goods_detail[" + i + "]";
            if (line == null || !line.isObject() || !line.path("merchant_goods_id").isTextual()) {
                throw PayApiException.paramError(at + ".merchant_goods_id", "body", "is required");
            }
            for (String field : new String[] {"unit_price", "refund_amount", "refund_quantity"}) {
                if (!line.path(field).isIntegralNumber() || line.path(field).asLong() < 1) {
                    throw PayApiException.paramError(
                            at + "." + field, "body", "must be a whole number >= 1");
                }
            }
            sum += line.get("refund_amount").asLong();
        }
        if (sum > refund) {
            throw PayApiException.paramError(
                    "goods_detail",
                    "body",
                    "refund_amount lines add up to "
                            + sum
                            + " fen, more than amount.refund "
                            + refund);
        }
    }
}
