package io.scanorder.wechatsim.pay;

/** WeChat Pay's {@code trade_state} values, with the {@code trade_state_desc} WeChat shows. */
public enum TradeState {
    NOTPAY("订单未支付"),
    USERPAYING("用户支付中"),
    SUCCESS("支付成功"),
    PAYERROR("支付失败，请重新下单支付"),
    REFUND("转入退款"),
    CLOSED("订单已关闭");

    private final String description;

    TradeState(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether money moved: refunds are possible only from these states. */
    public boolean isPaid() {
        return this == SUCCESS || this == REFUND;
    }
}
