-- Reconciliation of refunds: the trade bill's successful refund rows are compared with the refunds
-- recorded here as succeeded on that day. A run's refund differences are written before its run
-- row, like its payment differences. Portable across CockroachDB and PostgreSQL 14 (see
-- docs/database.md).

ALTER TABLE reconciliation_runs ADD COLUMN matched_refunds INT4 NOT NULL DEFAULT 0;

CREATE TABLE reconciliation_refund_differences (
    run_id            TEXT NOT NULL,
    out_refund_no     TEXT NOT NULL,
    out_trade_no      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    refund_id         TEXT,
    our_refund_fen    INT8,
    wechat_refund_fen INT8,
    detail            TEXT NOT NULL,
    CONSTRAINT reconciliation_refund_differences_pk PRIMARY KEY (run_id, out_refund_no),
    CONSTRAINT reconciliation_refund_differences_kind_ck CHECK (
        kind IN ('MISSING_HERE', 'MISSING_AT_WECHAT', 'AMOUNT_MISMATCH'))
);
