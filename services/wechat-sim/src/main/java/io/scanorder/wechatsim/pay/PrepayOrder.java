package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated JSAPI prepay request, direct ({@code /v3/pay/transactions/jsapi}) or service-provider
 * ({@code /v3/pay/partner/transactions/jsapi}, where {@code mchid}/{@code appid}/{@code openid}
 * hold the sp_ values and the sub_ values are set).
 */
record PrepayOrder(
        String mchid,
        String subMchid,
        String appid,
        String subAppid,
        String outTradeNo,
        String description,
        String notifyUrl,
        String attach,
        long total,
        String openid,
        String subOpenid,
        JsonNode raw) {

    static PrepayOrder direct(JsonBody body) {
        PrepayOrder order =
                new PrepayOrder(
                        body.text("mchid", 32),
                        null,
                        body.text("appid", 32),
                        null,
                        body.merchantNo("out_trade_no", 6, 32, true),
                        body.text("description", 127),
                        body.notifyUrl("notify_url", true),
                        body.optionalText("attach", 128),
                        body.fen("amount.total"),
                        body.text("payer.openid", 128),
                        null,
                        body.root());
        body.requireCurrencyCny("amount.currency");
        body.optionalText("time_expire", 64);
        return order;
    }

    static PrepayOrder partner(JsonBody body) {
        String subAppid = body.optionalText("sub_appid", 32);
        String spOpenid = body.optionalText("payer.sp_openid", 128);
        String subOpenid = body.optionalText("payer.sub_openid", 128);
        if (spOpenid == null && subOpenid == null) {
            throw PayApiException.paramError(
                    "payer", "body", "needs sp_openid or sub_openid (with sub_appid)");
        }
        if (subOpenid != null && subAppid == null) {
            throw PayApiException.paramError("sub_appid", "body", "is required with sub_openid");
        }
        PrepayOrder order =
                new PrepayOrder(
                        body.text("sp_mchid", 32),
                        body.text("sub_mchid", 32),
                        body.text("sp_appid", 32),
                        subAppid,
                        body.merchantNo("out_trade_no", 6, 32, true),
                        body.text("description", 127),
                        body.notifyUrl("notify_url", true),
                        body.optionalText("attach", 128),
                        body.fen("amount.total"),
                        spOpenid,
                        subOpenid,
                        body.root());
        body.requireCurrencyCny("amount.currency");
        body.optionalText("time_expire", 64);
        return order;
    }
}
