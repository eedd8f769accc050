-- Daily reconciliation of WeChat Pay's trade bill with the payments recorded here.
-- A run's differences are written first and its run row last, so a report is only visible once
-- complete. Portable across CockroachDB and PostgreSQL 14 (see docs/database.md).

CREATE TABLE reconciliation_runs (
    run_id              TEXT        NOT NULL,
    bill_date           DATE        NOT NULL,
    matched             INT4        NOT NULL,
    missing_here        INT4        NOT NULL,
    missing_at_wechat   INT4        NOT NULL,
    amount_mismatch     INT4        NOT NULL,
    reconciled_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT reconciliation_runs_pk PRIMARY KEY (run_id),
    CONSTRAINT reconciliation_runs_counts_ck CHECK (
        matched >= 0 AND missing_here >= 0 AND missing_at_wechat >= 0 AND amount_mismatch >= 0)
);

CREATE INDEX reconciliation_runs_day_idx ON reconciliation_runs (bill_date, reconciled_at);

CREATE TABLE reconciliation_differences (
    run_id            TEXT NOT NULL,
    out_trade_no      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    transaction_id    TEXT,
    our_amount_fen    INT8,
    wechat_amount_fen INT8,
    detail            TEXT NOT NULL,
    CONSTRAINT reconciliation_differences_pk PRIMARY KEY (run_id, out_trade_no),
    CONSTRAINT reconciliation_differences_kind_ck CHECK (
        kind IN ('MISSING_HERE', 'MISSING_AT_WECHAT', 'AMOUNT_MISMATCH'))
);
