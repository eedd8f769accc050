package io.scanorder.wechatsim.pay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders trades and refunds in WeChat Pay's JSON shapes: the query answer (which is also the
 * decrypted TRANSACTION.SUCCESS resource), the refund answer and the refund notification resource.
 * Callers hold the {@link TradeBook} lock.
 */
final class PayJson {
    private PayJson() {}

    static Map<String, Object> transaction(Trade t) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (t.isPartner()) {
            body.put("sp_appid", t.appid);
            body.put("sp_mchid", t.mchid);
            if (t.subAppid != null) {
                body.put("sub_appid", t.subAppid);
            }
            body.put("sub_mchid", t.subMchid);
        } else {
            body.put("appid", t.appid);
            body.put("mchid", t.mchid);
        }
        body.put("out_trade_no", t.outTradeNo);
        if (t.transactionId != null) {
            body.put("transaction_id", t.transactionId);
        }
        body.put("trade_type", "JSAPI");
        body.put("trade_state", t.state.name());
        body.put("trade_state_desc", t.state.description());
        boolean paid = t.successTime != null;
        if (paid) {
            body.put("bank_type", "OTHERS");
            body.put("success_time", WeChatTime.rfc3339(t.successTime));
        }
        if (t.attach != null) {
            body.put("attach", t.attach);
        }
        body.put("payer", payer(t));
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", t.total);
        if (paid) {
            amount.put("payer_total", t.total);
        }
        amount.put("currency", "CNY");
        amount.put("payer_currency", "CNY");
        body.put("amount", amount);
        return body;
    }

    private static Map<String, Object> payer(Trade t) {
        Map<String, Object> payer = new LinkedHashMap<>();
        if (t.isPartner()) {
            if (t.openid != null) {
                payer.put("sp_openid", t.openid);
            }
            if (t.subOpenid != null) {
                payer.put("sub_openid", t.subOpenid);
            }
        } else {
            payer.put("openid", t.openid);
        }
        return payer;
    }

    static Map<String, Object> refund(RefundRecord r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("refund_id", r.refundId);
        body.put("out_refund_no", r.outRefundNo);
        body.put("transaction_id", r.trade.transactionId);
        body.put("out_trade_no", r.trade.outTradeNo);
        body.put("channel", "ORIGINAL");
        body.put("user_received_account", "支付用户零钱");
        if (r.successTime != null) {
            body.put("success_time", WeChatTime.rfc3339(r.successTime));
        }
        body.put("create_time", WeChatTime.rfc3339(r.createdAt));
        body.put("status", r.status.name());
        body.put("funds_account", "AVAILABLE");
        body.put("amount", refundAmount(r, true));
        body.put("promotion_detail", List.of());
        return body;
    }

    static Map<String, Object> refundNotification(RefundRecord r) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (r.trade.isPartner()) {
            body.put("sp_mchid", r.trade.mchid);
            body.put("sub_mchid", r.trade.subMchid);
        } else {
            body.put("mchid", r.trade.mchid);
        }
        body.put("out_trade_no", r.trade.outTradeNo);
        body.put("transaction_id", r.trade.transactionId);
        body.put("out_refund_no", r.outRefundNo);
        body.put("refund_id", r.refundId);
        body.put("refund_status", r.status.name());
        if (r.successTime != null) {
            body.put("success_time", WeChatTime.rfc3339(r.successTime));
        }
        body.put("user_received_account", "支付用户零钱");
        body.put("amount", refundAmount(r, false));
        return body;
    }

    private static Map<String, Object> refundAmount(RefundRecord r, boolean full) {
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", r.trade.total);
        amount.put("refund", r.amount);
        amount.put("payer_total", r.trade.total);
        amount.put("payer_refund", r.amount);
        if (full) {
            amount.put("settlement_refund", r.amount);
            amount.put("settlement_total", r.trade.total);
            amount.put("discount_refund", 0);
            amount.put("currency", "CNY");
            amount.put("refund_fee", 0);
        }
        return amount;
    }
}
