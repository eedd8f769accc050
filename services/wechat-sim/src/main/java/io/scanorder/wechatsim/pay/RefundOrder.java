package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

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
        List<RefundGoodsView> goods,
        JsonNode raw) {

    static RefundOrder parse(JsonBody body) {
        String outTradeNo = body.merchantNo("out_trade_no", 1, 32, false);
        String transactionId = body.optionalText("transaction_id", 32);
        if (outTradeNo == null && transactionId == null) {
            throw PayApiException.paramError(
                    "out_trade_no", "body", "or transaction_id is required");
        }
        long refund = body.fen("amount.refund");
        RefundOrder order =
                new RefundOrder(
                        body.optionalText("sub_mchid", 32),
                        outTradeNo,
                        transactionId,
                        body.merchantNo("out_refund_no", 1, 64, true),
                        body.optionalText("reason", 80),
                        body.notifyUrl("notify_url", false),
                        refund,
                        body.fen("amount.total"),
                        parseGoodsDetail(body.root().get("goods_detail"), refund),
                        body.root());
        body.requireCurrencyCny("amount.currency");
        return order;
    }

    /**
     * Single-item refunds, checked as WeChat Pay does: each line complete (merchant_goods_id of
     * 1-32 characters; unit_price, refund_amount and refund_quantity whole numbers >= 1), no line
     * refunding more than unit_price x refund_quantity, and the lines together no more than the
     * refund amount.
     */
    private static List<RefundGoodsView> parseGoodsDetail(JsonNode goods, long refund) {
        if (goods == null || goods.isNull()) {
            return List.of();
        }
        if (!goods.isArray() || goods.isEmpty()) {
            throw PayApiException.paramError("goods_detail", "body", "must be a non-empty array");
        }
        List<RefundGoodsView> parsed = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < goods.size(); i++) {
            JsonNode line = goods.get(i);
            String at = "goods_detail[" + i + "]";
            if (line == null || !line.isObject() || !line.path("merchant_goods_id").isTextual()) {
                throw PayApiException.paramError(at + ".merchant_goods_id", "body", "is required");
            }
            String id = line.get("merchant_goods_id").asText();
            if (id.isEmpty() || id.length() > 32) {
                throw PayApiException.paramError(
                        at + ".merchant_goods_id", "body", "must be 1-32 characters");
            }
            for (String field : new String[] {"unit_price", "refund_amount", "refund_quantity"}) {
                if (!line.path(field).isIntegralNumber() || line.path(field).asLong() < 1) {
                    throw PayApiException.paramError(
                            at + "." + field, "body", "must be a whole number >= 1");
                }
            }
            long unitPrice = line.get("unit_price").asLong();
            long amount = line.get("refund_amount").asLong();
            long quantity = line.get("refund_quantity").asLong();
            if (amount > unitPrice * quantity) {
                throw PayApiException.paramError(
                        at + ".refund_amount",
                        "body",
                        "must not exceed unit_price x refund_quantity ("
                                + unitPrice
                                + " x "
                                + quantity
                                + ")");
            }
            parsed.add(
                    new RefundGoodsView(
                            id,
                            line.path("goods_name").isTextual()
                                    ? line.get("goods_name").asText()
                                    : null,
                            unitPrice,
                            (int) quantity,
                            amount));
            sum += amount;
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
        return List.copyOf(parsed);
    }
}
