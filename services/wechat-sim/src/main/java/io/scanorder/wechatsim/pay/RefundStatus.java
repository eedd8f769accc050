package io.scanorder.wechatsim.pay;

/** WeChat Pay's refund {@code status} values and the notification event each final one sends. */
public enum RefundStatus {
    PROCESSING(null, null),
    SUCCESS("REFUND.SUCCESS", "退款成功"),
    CLOSED("REFUND.CLOSED", "退款关闭"),
    ABNORMAL("REFUND.ABNORMAL", "退款异常");

    private final String eventType;
    private final String summary;

    RefundStatus(String eventType, String summary) {
        this.eventType = eventType;
        this.summary = summary;
    }

    /** The notification {@code event_type}; null for PROCESSING, which is not notified. */
    public String eventType() {
        return eventType;
    }

    public String summary() {
        return summary;
    }

    /** Refunds in these states count against the refundable amount. */
    public boolean holdsAmount() {
        return this == PROCESSING || this == SUCCESS;
    }
}
