-- Stores applied by the operator through StoreAdmin/ApplyStore (io.scanorder.order.store),
-- version 7. DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

-- The canonical content (compact JSON) last applied and its SHA-256, so a repeat of the same
-- content writes nothing and GetStore can show the operator what the service holds. NULL for a
-- store that was never applied (e.g. created before V7).
ALTER TABLE stores ADD COLUMN applied_content_hash TEXT NULL
    CONSTRAINT stores_applied_hash_ck
    CHECK (applied_content_hash IS NULL OR applied_content_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE stores ADD COLUMN applied_content TEXT NULL;
ALTER TABLE stores ADD COLUMN applied_at TIMESTAMPTZ NULL;
