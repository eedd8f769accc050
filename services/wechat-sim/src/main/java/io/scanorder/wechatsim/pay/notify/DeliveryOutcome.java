package io.scanorder.wechatsim.pay.notify;

/** What became of one notification delivery attempt. */
public enum DeliveryOutcome {
    /** The receiver answered 2xx (without a {@code "code"} other than SUCCESS). */
    ACKNOWLEDGED,
    /** The receiver answered, but not with an acknowledgement; WeChat will retry. */
    REJECTED,
    /** No answer: connection refused, reset or timed out; WeChat will retry. */
    UNREACHABLE,
    /** Lost on the way on purpose ({@link DeliveryControls#dropNextAttempts}); retried. */
    DROPPED,
    /** Never sent on purpose ({@link DeliveryControls#suppressNext}): the merchant must query. */
    SUPPRESSED
}
