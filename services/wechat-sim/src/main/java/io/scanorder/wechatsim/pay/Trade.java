package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One JSAPI transaction as WeChat Pay holds it. Identity and order data are fixed at prepay; state
 * changes go through {@link TradeBook}, which guards every trade with its own lock.
 */
final class Trade {
    final String mchid;
    final String subMchid;
    final String appid;
    final String subAppid;
    final String outTradeNo;
    final String description;
    final String notifyUrl;
    final String attach;
    final String openid;
    final String subOpenid;
    final long total;
    final String prepayId;
    final Instant createdAt;

    /** The prepay body as sent: a repeated prepay must match it to get the same prepay_id. */
    final JsonNode request;

    TradeState state = TradeState.NOTPAY;
    String transactionId;
    Instant successTime;
    long refunded;

    Trade(
            String mchid,
            String subMchid,
            String appid,
            String subAppid,
            String outTradeNo,
            String description,
            String notifyUrl,
            String attach,
            String openid,
            String subOpenid,
            long total,
            String prepayId,
            Instant createdAt,
            JsonNode request) {
        this.mchid = mchid;
        this.subMchid = subMchid;
        this.appid = appid;
        this.subAppid = subAppid;
        this.outTradeNo = outTradeNo;
        this.description = description;
        this.notifyUrl = notifyUrl;
        this.attach = attach;
        this.openid = openid;
        this.subOpenid = subOpenid;
        this.total = total;
        this.prepayId = prepayId;
        this.createdAt = createdAt;
        this.request = request;
    }

    boolean isPartner() {
        return subMchid != null;
    }

    TradeView view() {
        return new TradeView(
                mchid,
                subMchid,
                outTradeNo,
                prepayId,
                transactionId,
                state,
                total,
                refunded,
                openid,
                description,
                notifyUrl,
                createdAt,
                successTime);
    }
}
