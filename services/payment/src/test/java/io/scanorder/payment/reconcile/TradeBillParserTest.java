package io.scanorder.payment.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TradeBillParserTest {
    private static final String HEADER =
            "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
                    + "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
                    + "手续费,费率,订单金额,申请退款金额,费率备注";

    private static String row(String no, String tx, String state, String orderYuan) {
        return "`2026-11-26 10:00:00,`wx1,`1900000109,`0,`,`"
                + tx
                + ",`"
                + no
                + ",`oUser,`JSAPI,`"
                + state
                + ",`OTHERS,`CNY,`"
                + orderYuan
                + ",`0.00,`0,`0,`0.00,`0.00,`,`,`Noodles,`,`0.00000,`0.00%,`"
                + orderYuan
                + ",`0.00,`";
    }

    @Test
    void paymentRowsBecomeFenAndRefundRowsAndTheSummaryAreSkipped() {
        String bill =
                HEADER
                        + "\n"
                        + row("A1_1", "4200001", "SUCCESS", "38.00")
                        + "\n"
                        + row("A1_1", "4200001", "REFUND", "0.00")
                        + "\r\n"
                        + row("B2_1", "4200002", "SUCCESS", "0.01")
                        + "\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n"
                        + "`3,`38.01,`0.00,`0.00,`0.00000,`38.01,`0.00\n";

        assertThat(TradeBillParser.payments(bill))
                .containsExactly(
                        new TradeBillParser.BillPayment("A1_1", "4200001", 3800),
                        new TradeBillParser.BillPayment("B2_1", "4200002", 1));
    }

    private static String refundRow(
            String no, String refundNo, String refundId, String refundState, String yuan) {
        return "`2026-11-26 11:00:00,`wx1,`1900000109,`0,`,`4200001,`"
                + no
                + ",`oUser,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`"
                + refundId
                + ",`"
                + refundNo
                + ",`"
                + yuan
                + ",`0.00,`ORIGINAL,`"
                + refundState
                + ",`Noodles,`,`0.00000,`0.00%,`0.00,`"
                + yuan
                + ",`";
    }

    @Test
    void successfulRefundRowsBecomeFenAndPaymentAndUnfinishedRefundRowsAreSkipped() {
        String bill =
                HEADER
                        + "\n"
                        + row("A1_1", "4200001", "SUCCESS", "38.00")
                        + "\n"
                        + refundRow("A1_1", "A1_R1", "50300001", "SUCCESS", "19.00")
                        + "\n"
                        + refundRow("A1_1", "A1_R2", "50300002", "PROCESSING", "1.00")
                        + "\n"
                        + refundRow("A1_1", "A1_R3", "50300003", "SUCCESS", "0.01")
                        + "\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n"
                        + "`4,`38.00,`20.01,`0.00,`0.00000,`38.00,`20.01\n";

        assertThat(TradeBillParser.refunds(bill))
                .containsExactly(
                        new TradeBillParser.BillRefund("A1_1", "A1_R1", "50300001", 1900),
                        new TradeBillParser.BillRefund("A1_1", "A1_R3", "50300003", 1));
        assertThat(TradeBillParser.payments(bill))
                .containsExactly(new TradeBillParser.BillPayment("A1_1", "4200001", 3800));
        assertThatThrownBy(
                        () ->
                                TradeBillParser.refunds(
                                        HEADER
                                                + "\n"
                                                + refundRow(
                                                        "A1_1", "A1_R1", "5", "SUCCESS", "1.9x")))
                .hasMessageContaining("line 2")
                .hasMessageContaining("申请退款金额")
                .hasMessageContaining("1.9x");
    }

    @Test
    void unreadableBillsNameTheLineAndColumn() {
        assertThatThrownBy(() -> TradeBillParser.payments(HEADER.replace("订单金额,申请", "x,申请")))
                .hasMessageContaining("no column 订单金额");
        assertThatThrownBy(
                        () ->
                                TradeBillParser.payments(
                                        HEADER + "\n" + row("A1_1", "42", "SUCCESS", "3.8x")))
                .hasMessageContaining("line 2")
                .hasMessageContaining("订单金额")
                .hasMessageContaining("3.8x");
        assertThatThrownBy(() -> TradeBillParser.payments(HEADER + "\n`a,`b"))
                .hasMessageContaining("line 2 has 2 fields");
        assertThatThrownBy(() -> TradeBillParser.payments(""))
                .hasMessageContaining("no header row");
    }
}
