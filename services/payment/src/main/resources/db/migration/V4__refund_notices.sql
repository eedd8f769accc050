-- Refund outcomes the order service must learn (the second kind of notice in the payment
-- service's outbox, next to order_notices). A row is inserted by the same statement that records
-- a refund's final state (SUCCESS or CLOSED; see PaymentStore.applyRefund), whether WeChat's
-- refund notification, a refund query or the refund answer brought it, so no outcome is missed,
-- and OrderNotifier calls OrderPayments.RecordRefund until the order service acknowledges.
-- A refund notice is only delivered once its payment's order notice has been worked off, so the
-- order service always learns of a payment before its refund.
-- Portable across CockroachDB and PostgreSQL 14 (see docs/database.md).

CREATE TABLE refund_notices (
    out_refund_no   TEXT        NOT NULL,
    out_trade_no    TEXT        NOT NULL,
    order_id        TEXT        NOT NULL,
    store_code      TEXT        NOT NULL,
    refund_fen      INT8        NOT NULL,
    refund_id       TEXT,
    -- The refund's final state at WeChat Pay.
    outcome         TEXT        NOT NULL,
    succeeded_at    TIMESTAMPTZ,
    -- PENDING: to deliver; DELIVERED: acknowledged by the order service; FAILED: refused for
    -- good (e.g. more refunded than paid), staff must act.
    status          TEXT        NOT NULL,
    attempts        INT4        NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT refund_notices_pk PRIMARY KEY (out_refund_no),
    CONSTRAINT refund_notices_payment_fk FOREIGN KEY (out_trade_no)
        REFERENCES payments (out_trade_no),
    CONSTRAINT refund_notices_outcome_ck CHECK (outcome IN ('SUCCESS', 'CLOSED')),
    CONSTRAINT refund_notices_status_ck CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    CONSTRAINT refund_notices_refund_ck CHECK (refund_fen >= 1),
    CONSTRAINT refund_notices_attempts_ck CHECK (attempts >= 0)
);

CREATE INDEX refund_notices_due_idx ON refund_notices (status, next_attempt_at);
