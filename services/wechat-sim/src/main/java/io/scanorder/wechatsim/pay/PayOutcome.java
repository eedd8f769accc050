package io.scanorder.wechatsim.pay;

/** What the simulated payer does with a prepaid order. */
public enum PayOutcome {
    /** Pays: the trade becomes SUCCESS and a TRANSACTION.SUCCESS notification is sent. */
    SUCCESS,
    /**
     * The payment fails (e.g. the bank declines): trade_state PAYERROR. WeChat sends no
     * notification for failures, so neither does the simulator; the merchant learns it by query.
     */
    PAYERROR,
    /** The payer is still entering the password: trade_state USERPAYING, no notification. */
    USERPAYING
}
