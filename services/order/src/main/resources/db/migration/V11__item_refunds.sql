-- Single-item refunds and the paid payment attempt. RecordPayment stores the out_trade_no and
-- WeChat Pay transaction id of the attempt that paid the order, so RefundDispatcher refunds that
-- attempt directly (orders paid before V11 keep NULL here and are found by QueryPayment). A refund
-- may name the order lines it covers in refund_lines: quantity and fen per line, the fen taken
-- from the line's price snapshot. Portable across CockroachDB and PostgreSQL 14 (see
-- docs/database.md).

ALTER TABLE orders ADD COLUMN paid_out_trade_no TEXT NULL;
ALTER TABLE orders ADD COLUMN paid_transaction_id TEXT NULL;

CREATE TABLE refund_lines (
    refund_id     UUID NOT NULL,
    order_line_id UUID NOT NULL,
    quantity      INT4 NOT NULL,
    refund_fen    INT8 NOT NULL,
    CONSTRAINT refund_lines_pk PRIMARY KEY (refund_id, order_line_id),
    CONSTRAINT refund_lines_refund_fk FOREIGN KEY (refund_id) REFERENCES refunds (refund_id),
    CONSTRAINT refund_lines_line_fk FOREIGN KEY (order_line_id) REFERENCES order_lines (line_id),
    CONSTRAINT refund_lines_quantity_ck CHECK (quantity >= 1),
    CONSTRAINT refund_lines_fen_ck CHECK (refund_fen >= 1)
);
CREATE INDEX refund_lines_line_ix ON refund_lines (order_line_id);
