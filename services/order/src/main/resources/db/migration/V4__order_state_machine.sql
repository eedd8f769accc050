-- Order state machine (io.scanorder.order.state), version 4.
-- A store's payment timeout becomes optional: NULL means the service-wide default
-- (scanorder.order.order-states.default-payment-timeout, 15 minutes), so the default lives in one
-- place instead of in every row. A refund records the reason and the kind of party that decided it.
-- DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

ALTER TABLE stores ALTER COLUMN order_timeout_seconds DROP DEFAULT;
ALTER TABLE stores ALTER COLUMN order_timeout_seconds DROP NOT NULL;

ALTER TABLE refunds ADD COLUMN decision_reason TEXT NULL;
-- The check is declared with the column, so one statement adds both (CockroachDB runs schema
-- changes asynchronously; a separate ADD CONSTRAINT on a column being added is best avoided).
ALTER TABLE refunds ADD COLUMN decided_by_kind TEXT NULL
    CONSTRAINT refunds_decided_kind_ck
    CHECK (decided_by_kind IS NULL OR decided_by_kind IN ('DINER', 'STAFF', 'SYSTEM', 'PAYMENT'));
