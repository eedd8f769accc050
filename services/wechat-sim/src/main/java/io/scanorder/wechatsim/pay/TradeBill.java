package io.scanorder.wechatsim.pay;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a day's trade bill in WeChat Pay's text format: a header row, one row per payment and per
 * refund with every field prefixed by a backquote, then a summary. Amounts are yuan with two
 * decimals. The simulator charges no fee, so fee columns are zero.
 */
final class TradeBill {
    /** bill_type values: ALL (payments and refunds), SUCCESS (payments), REFUND (refunds). */
    enum Type {
        ALL,
        SUCCESS,
        REFUND
    }

    static final String HEADER =
            "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
                    + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
                    + "手续费,费率,订单金额,申请退款金额,费率备注";
    static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

    private TradeBill() {}

    /**
     * The bill, or empty when the day had no matching entries (WeChat then answers
     * NO_STATEMENT_EXIST).
     */
    static java.util.Optional<String> render(
            List<Trade> trades,
            List<RefundRecord> refunds,
            LocalDate day,
            Type type,
            String subMchid) {
        List<String> rows = new ArrayList<>();
        long settled = 0;
        long refunded = 0;
        long ordered = 0;
        if (type != Type.REFUND) {
            for (Trade t : trades) {
                if (t.successTime != null && sameDay(t.successTime, day) && matches(t, subMchid)) {
                    rows.add(row(t, t.successTime, "SUCCESS", null));
                    settled += t.total;
                    ordered += t.total;
                }
            }
        }
        if (type != Type.SUCCESS) {
            for (RefundRecord r : refunds) {
                if (r.status == RefundStatus.SUCCESS
                        && sameDay(r.successTime, day)
                        && matches(r.trade, subMchid)) {
                    rows.add(row(r.trade, r.successTime, "REFUND", r));
                    refunded += r.amount;
                }
            }
        }
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        StringBuilder bill = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> bill.append(r).append('\n'));
        bill.append(SUMMARY_HEADER).append('\n');
        bill.append(
                fields(
                        Integer.toString(rows.size()),
                        yuan(settled),
                        yuan(refunded),
                        "0.00",
                        "0.00000",
                        yuan(ordered),
                        yuan(refunded)));
        bill.append('\n');
        return java.util.Optional.of(bill.toString());
    }

    private static boolean matches(Trade t, String subMchid) {
        return subMchid == null || subMchid.equals(t.subMchid);
    }

    private static boolean sameDay(Instant instant, LocalDate day) {
        return instant != null && instant.atZone(WeChatTime.CHINA).toLocalDate().equals(day);
    }

    private static String row(Trade t, Instant at, String status, RefundRecord r) {
        return fields(
                WeChatTime.billTime(at),
                t.appid,
                t.mchid,
                t.subMchid == null ? "0" : t.subMchid,
                "",
                t.transactionId,
                t.outTradeNo,
                t.subOpenid != null ? t.subOpenid : t.openid,
                "JSAPI",
                status,
                "OTHERS",
                "CNY",
                r == null ? yuan(t.total) : "0.00",
                "0.00",
                r == null ? "0" : r.refundId,
                r == null ? "0" : r.outRefundNo,
                r == null ? "0.00" : yuan(r.amount),
                "0.00",
                r == null ? "" : "ORIGINAL",
                r == null ? "" : "SUCCESS",
                t.description,
                t.attach == null ? "" : t.attach,
                "0.00000",
                "0.00%",
                r == null ? yuan(t.total) : "0.00",
                r == null ? "0.00" : yuan(r.amount),
                "");
    }

    /** Joins fields WeChat's way: each prefixed with a backquote so spreadsheets keep it text. */
    private static String fields(String... values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('`').append(values[i] == null ? "" : values[i].replace(",", "，"));
        }
        return sb.toString();
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }
}
