-- Refund outcomes reported by the payment service (OrderPayments.RecordRefund). A refund row is
-- matched to WeChat Pay's out_refund_no when its outcome arrives; the unique constraint makes a
-- repeated report of the same out_refund_no a no-op. Portable across CockroachDB and PostgreSQL 14
-- (see docs/database.md).

ALTER TABLE refunds ADD COLUMN out_refund_no TEXT NULL;
ALTER TABLE refunds ADD COLUMN wechat_refund_id TEXT NULL;
ALTER TABLE refunds ADD COLUMN succeeded_at TIMESTAMPTZ NULL;
ALTER TABLE refunds ADD CONSTRAINT refunds_out_refund_no_uq UNIQUE (out_refund_no);
