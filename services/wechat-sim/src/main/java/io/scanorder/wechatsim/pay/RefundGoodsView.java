package io.scanorder.wechatsim.pay;

/**
 * One goods_detail line of a single-item refund as the simulator accepted it; amounts in fen.
 *
 * @param goodsName null when the request had none
 */
public record RefundGoodsView(
        String merchantGoodsId,
        String goodsName,
        long unitPrice,
        int refundQuantity,
        long refundAmount) {}
