package io.scanorder.wechatsim.pay;

/** When accepted refunds (status PROCESSING) reach their final status. */
public enum RefundCompletion {
    /** Right after acceptance: SUCCESS, notified to the refund's notify_url. */
    AUTOMATIC,
    /** Only when a test calls {@link PaySimulator#completeRefund}. */
    MANUAL
}
