package io.scanorder.wechatsim.pay;

import static io.scanorder.wechatsim.pay.AuthenticatedHandler.query;
import static io.scanorder.wechatsim.pay.AuthenticatedHandler.requireMethod;
import static io.scanorder.wechatsim.pay.AuthenticatedHandler.signed;

import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import java.util.Map;

/**
 * WeChat Pay API v3 transactions on {@code api.mch.weixin.qq.com}: JSAPI prepay, query by
 * out_trade_no and close, direct ({@code /v3/pay/transactions/...}) and service-provider ({@code
 * /v3/pay/partner/transactions/...}), plus refunds and refund queries.
 */
public final class PayApi implements ApiModule {
    private static final String DIRECT = "/v3/pay/transactions/";
    private static final String PARTNER = "/v3/pay/partner/transactions/";
    private static final String REFUNDS = "/v3/refund/domestic/refunds";

    private final PaySimulator sim;
    private final TradeBook book;

    public PayApi(PaySimulator sim) {
        this.sim = sim;
        this.book = sim.book();
    }

    @Override
    public void register(Router router) {
        router.route(DIRECT + "jsapi", signed(sim, this::prepay));
        router.route(PARTNER + "jsapi", signed(sim, this::partnerPrepay));
        router.routePrefix(DIRECT + "out-trade-no/", signed(sim, this::byOutTradeNo));
        router.routePrefix(PARTNER + "out-trade-no/", signed(sim, this::partnerByOutTradeNo));
        router.route(REFUNDS, signed(sim, this::refund));
        router.routePrefix(REFUNDS + "/", signed(sim, this::refundQuery));
    }

    private SimResponse prepay(SimRequest request, Merchant merchant) {
        requireMethod(request, "POST");
        PrepayOrder order = PrepayOrder.direct(JsonBody.parse(request.body()));
        requireOwnMchid(merchant, order.mchid(), "mchid");
        if (!merchant.appid().equals(order.appid())) {
            throw new PayApiException(
                    400,
                    "APPID_MCHID_NOT_MATCH",
                    "appid和mch_id不匹配: " + order.appid() + " is not bound to " + merchant.mchid());
        }
        return SimResponse.json(200, Map.of("prepay_id", book.prepay(order).prepayId));
    }

    private SimResponse partnerPrepay(SimRequest request, Merchant merchant) {
        requireMethod(request, "POST");
        PrepayOrder order = PrepayOrder.partner(JsonBody.parse(request.body()));
        requireOwnMchid(merchant, order.mchid(), "sp_mchid");
        if (!merchant.appid().equals(order.appid())) {
            throw new PayApiException(
                    400,
                    "APPID_MCHID_NOT_MATCH",
                    "sp_appid和sp_mchid不匹配: "
                            + order.appid()
                            + " is not bound to "
                            + merchant.mchid());
        }
        requireSubMerchant(merchant, order.subMchid());
        return SimResponse.json(200, Map.of("prepay_id", book.prepay(order).prepayId));
    }

    private SimResponse byOutTradeNo(SimRequest request, Merchant merchant) {
        String rest = request.path().substring(DIRECT.length() + "out-trade-no/".length());
        if (rest.endsWith("/close")) {
            requireMethod(request, "POST");
            JsonBody body = JsonBody.parse(request.body());
            requireOwnMchid(merchant, body.text("mchid", 32), "mchid");
            return close(merchant.mchid(), null, outTradeNo(rest.substring(0, rest.length() - 6)));
        }
        requireMethod(request, "GET");
        requireOwnMchid(merchant, query(request, "mchid"), "mchid");
        return queryTrade(merchant.mchid(), null, outTradeNo(rest));
    }

    private SimResponse partnerByOutTradeNo(SimRequest request, Merchant merchant) {
        String rest = request.path().substring(PARTNER.length() + "out-trade-no/".length());
        if (rest.endsWith("/close")) {
            requireMethod(request, "POST");
            JsonBody body = JsonBody.parse(request.body());
            requireOwnMchid(merchant, body.text("sp_mchid", 32), "sp_mchid");
            String subMchid = body.text("sub_mchid", 32);
            requireSubMerchant(merchant, subMchid);
            return close(
                    merchant.mchid(), subMchid, outTradeNo(rest.substring(0, rest.length() - 6)));
        }
        requireMethod(request, "GET");
        requireOwnMchid(merchant, query(request, "sp_mchid"), "sp_mchid");
        String subMchid = query(request, "sub_mchid");
        requireSubMerchant(merchant, subMchid);
        return queryTrade(merchant.mchid(), subMchid, outTradeNo(rest));
    }

    private SimResponse queryTrade(String mchid, String subMchid, String outTradeNo) {
        Trade trade = book.require(mchid, subMchid, outTradeNo);
        return SimResponse.json(200, book.read(() -> PayJson.transaction(trade)));
    }

    private SimResponse close(String mchid, String subMchid, String outTradeNo) {
        book.close(book.require(mchid, subMchid, outTradeNo));
        return new SimResponse(204, "application/json", new byte[0], Map.of());
    }

    private SimResponse refund(SimRequest request, Merchant merchant) {
        requireMethod(request, "POST");
        RefundOrder order = RefundOrder.parse(JsonBody.parse(request.body()));
        if (order.subMchid() != null) {
            requireSubMerchant(merchant, order.subMchid());
        }
        RefundRecord refund = book.refund(merchant.mchid(), order);
        SimResponse response = SimResponse.json(200, book.read(() -> PayJson.refund(refund)));
        sim.refundAccepted(refund);
        return response;
    }

    private SimResponse refundQuery(SimRequest request, Merchant merchant) {
        requireMethod(request, "GET");
        String outRefundNo = request.path().substring(REFUNDS.length() + 1);
        String subMchid = request.param("sub_mchid").orElse(null);
        if (subMchid != null) {
            requireSubMerchant(merchant, subMchid);
        }
        RefundRecord refund = book.requireRefund(merchant.mchid(), subMchid, outRefundNo);
        return SimResponse.json(200, book.read(() -> PayJson.refund(refund)));
    }

    private static String outTradeNo(String value) {
        if (value.isEmpty()
                || value.length() > 32
                || !JsonBody.MERCHANT_NO.matcher(value).matches()) {
            throw PayApiException.paramError(
                    "out_trade_no", "path", "must be 1-32 of 0-9 A-Z a-z _ - | *");
        }
        return value;
    }

    /** The merchant named in the request must be the one that signed it. */
    private static void requireOwnMchid(Merchant merchant, String mchid, String field) {
        if (!merchant.mchid().equals(mchid)) {
            throw new PayApiException(
                    400,
                    "INVALID_REQUEST",
                    field + " " + mchid + " is not the signing merchant " + merchant.mchid());
        }
    }

    private void requireSubMerchant(Merchant merchant, String subMchid) {
        sim.merchants().requireSubMerchant(merchant.mchid(), subMchid);
    }
}
