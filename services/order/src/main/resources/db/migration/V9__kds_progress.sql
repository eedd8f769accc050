-- Kitchen display (KDS) progress, version 9: how far a KDS tablet has bumped a ticket, so the
-- order moves to COOKING on the first bump and to READY when its last KDS ticket is bumped READY,
-- exactly once however often and in whatever order the tablet repeats its acks.
-- DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

-- NULL for tickets no KDS tablet has acknowledged (printed tickets); otherwise the furthest
-- status the tablet reported: DISPLAYED < COOKING < READY (it never goes back).
ALTER TABLE kitchen_tickets ADD COLUMN kds_status TEXT NULL;
ALTER TABLE kitchen_tickets ADD COLUMN kds_updated_at TIMESTAMPTZ NULL;
ALTER TABLE kitchen_tickets ADD CONSTRAINT kitchen_tickets_kds_status_ck
    CHECK (kds_status IS NULL OR kds_status IN ('DISPLAYED', 'COOKING', 'READY'));

-- The LED pickup board lists a store's READY orders.
CREATE INDEX orders_store_state_ix ON orders (store_id, state);
