-- Payment outcomes the order service must learn (transactional outbox of the payment service).
-- A row is inserted by the same statement that moves a payment to SUCCESS/REFUNDED (see
-- PaymentStore.apply), so a recorded payment can never miss its notice, and a delivery worker
-- calls OrderPayments.RecordPayment until the order service acknowledges it.
-- Portable across CockroachDB and PostgreSQL 14 (see docs/database.md).

CREATE TABLE order_notices (
    out_trade_no    TEXT        NOT NULL,
    order_id        TEXT        NOT NULL,
    store_code      TEXT        NOT NULL,
    paid_fen        INT8        NOT NULL,
    transaction_id  TEXT        NOT NULL,
    paid_at         TIMESTAMPTZ NOT NULL,
    -- PENDING: to deliver; DELIVERED: acknowledged by the order service; REFUNDING: the order
    -- refused the payment (closed, cancelled or paid twice), so it is refunded in full;
    -- REFUNDED: WeChat accepted that refund; FAILED: refused for another reason, staff must act.
    status          TEXT        NOT NULL,
    attempts        INT4        NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT order_notices_pk PRIMARY KEY (out_trade_no),
    CONSTRAINT order_notices_payment_fk FOREIGN KEY (out_trade_no)
        REFERENCES payments (out_trade_no),
    CONSTRAINT order_notices_status_ck CHECK (
        status IN ('PENDING', 'DELIVERED', 'REFUNDING', 'REFUNDED', 'FAILED')),
    CONSTRAINT order_notices_attempts_ck CHECK (attempts >= 0)
);

CREATE INDEX order_notices_due_idx ON order_notices (status, next_attempt_at);
