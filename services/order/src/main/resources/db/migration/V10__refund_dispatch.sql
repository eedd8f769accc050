-- Refund dispatch to the payment service (PaymentService.Refund). A PROCESSING refund gets its
-- out_refund_no ({order key}_R{sequence}) when it is approved; RefundDispatcher claims it with a
-- short lease (next_dispatch_at), calls Refund and stamps requested_at_payment once the payment
-- service accepted it. A refusal marks the refund FAILED with failure_reason. Portable across
-- CockroachDB and PostgreSQL 14 (see docs/database.md).

ALTER TABLE refunds ADD COLUMN requested_at_payment TIMESTAMPTZ NULL;
ALTER TABLE refunds ADD COLUMN next_dispatch_at TIMESTAMPTZ NULL;
ALTER TABLE refunds ADD COLUMN dispatch_attempts INT4 NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN failure_reason TEXT NULL;
CREATE INDEX refunds_dispatch_ix ON refunds (state, requested_at_payment, next_dispatch_at);
