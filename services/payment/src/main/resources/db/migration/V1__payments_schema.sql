-- Payment service schema. Portable across CockroachDB and PostgreSQL 14 (see docs/database.md).
-- Every write is one idempotent statement: state only moves forward (state_rank) so duplicate,
-- replayed or reordered WeChat notifications and queries never change anything twice.

CREATE TABLE payments (
    out_trade_no      TEXT        NOT NULL,
    store_code        TEXT        NOT NULL,
    order_id          TEXT        NOT NULL,
    description       TEXT        NOT NULL,
    amount_fen        INT8        NOT NULL,
    payer_openid      TEXT        NOT NULL,
    expires_at        TIMESTAMPTZ,
    prepay_id         TEXT,
    state             TEXT        NOT NULL,
    -- NOT_PAID 0, USER_PAYING 1, PAY_ERROR 2, CLOSED 3, SUCCESS 4, REFUNDED 5
    state_rank        INT4        NOT NULL,
    state_description TEXT,
    transaction_id    TEXT,
    payer_total_fen   INT8,
    paid_at           TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT payments_pk PRIMARY KEY (out_trade_no),
    CONSTRAINT payments_transaction_uq UNIQUE (transaction_id),
    CONSTRAINT payments_amount_ck CHECK (amount_fen >= 1),
    CONSTRAINT payments_state_ck CHECK (
        state IN ('NOT_PAID', 'USER_PAYING', 'PAY_ERROR', 'CLOSED', 'SUCCESS', 'REFUNDED')),
    CONSTRAINT payments_state_rank_ck CHECK (state_rank BETWEEN 0 AND 5)
);

CREATE INDEX payments_order_idx ON payments (order_id);

CREATE TABLE refunds (
    out_refund_no TEXT        NOT NULL,
    out_trade_no  TEXT        NOT NULL,
    refund_fen    INT8        NOT NULL,
    reason        TEXT,
    refund_id     TEXT,
    status        TEXT        NOT NULL,
    -- PROCESSING 1, ABNORMAL 2, SUCCESS 3, CLOSED 3
    status_rank   INT4        NOT NULL,
    succeeded_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT refunds_pk PRIMARY KEY (out_refund_no),
    CONSTRAINT refunds_payment_fk FOREIGN KEY (out_trade_no) REFERENCES payments (out_trade_no),
    CONSTRAINT refunds_refund_ck CHECK (refund_fen >= 1),
    CONSTRAINT refunds_status_ck CHECK (status IN ('PROCESSING', 'ABNORMAL', 'SUCCESS', 'CLOSED')),
    CONSTRAINT refunds_status_rank_ck CHECK (status_rank BETWEEN 1 AND 3)
);

CREATE INDEX refunds_trade_idx ON refunds (out_trade_no);

-- Notification ids already applied: WeChat re-sends one notification (same id) until it is
-- acknowledged, so a second arrival is counted as a duplicate.
CREATE TABLE notifications (
    notification_id TEXT        NOT NULL,
    event_type      TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT notifications_pk PRIMARY KEY (notification_id)
);
