-- Order placement (io.scanorder.order.placement), version 5. DDL only (docs/database.md rule 11);
-- runs unchanged on CockroachDB and PostgreSQL 14.

-- Who placed the order (the diner's openid; NULL for staff/POS orders), the store's business day
-- the pickup number belongs to, and a fingerprint of the placement request so that a repeat of an
-- idempotency key with a different body is told apart from a retry even when Redis is down.
ALTER TABLE orders ADD COLUMN placed_by_openid TEXT NULL;
-- The business day is the store-local date as TEXT 'YYYY-MM-DD' (DATE is not on the portable list).
ALTER TABLE orders ADD COLUMN business_day TEXT NULL
    CONSTRAINT orders_business_day_ck
    CHECK (business_day IS NULL OR business_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE orders ADD COLUMN request_fingerprint TEXT NULL
    CONSTRAINT orders_fingerprint_ck
    CHECK (request_fingerprint IS NULL OR request_fingerprint ~ '^[0-9a-f]{64}$');

-- A pickup number is unique per store and business day (orders from before V5 have no day).
CREATE UNIQUE INDEX orders_pickup_uq ON orders (store_id, business_day, pickup_number);
-- Diners list and read their own orders.
CREATE INDEX orders_openid_ix ON orders (placed_by_openid, created_at DESC);

-- Last pickup number handed out per store and business day. One row per store and day is
-- incremented in the placing transaction, so numbers are gapless and never repeat, also under
-- 40001 retries (a retried transaction increments again from the committed value).
CREATE TABLE pickup_counters (
    store_id     UUID        NOT NULL,
    business_day TEXT        NOT NULL,
    last_number  INT4        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pickup_counters_pk PRIMARY KEY (store_id, business_day),
    CONSTRAINT pickup_counters_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT pickup_counters_number_ck CHECK (last_number >= 1),
    CONSTRAINT pickup_counters_day_ck CHECK (business_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);
