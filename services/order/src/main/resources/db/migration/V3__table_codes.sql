-- Table codes and QR sheets (io.scanorder.order.table). Portable SQL: see docs/database.md.
-- DDL only; rows are written by TableRegistry.

-- Per-store HMAC keys that sign table codes. A store has key 1 from registration on; a rotation
-- adds the next version. Codes signed with the newest or the one before are accepted, so
-- sheets printed before one rotation keep working until they are reprinted.
CREATE TABLE store_table_keys (
    store_id    UUID        NOT NULL,
    key_version INT4        NOT NULL,
    secret      BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT store_table_keys_pk PRIMARY KEY (store_id, key_version),
    CONSTRAINT store_table_keys_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT store_table_keys_version_ck CHECK (key_version >= 1),
    CONSTRAINT store_table_keys_secret_ck CHECK (length(secret) = 32)
);

-- Dining areas of a store with their display names (printed on QR labels, shown to diners).
CREATE TABLE store_areas (
    store_id   UUID        NOT NULL,
    area_code  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT store_areas_pk PRIMARY KEY (store_id, area_code),
    CONSTRAINT store_areas_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT store_areas_code_ck CHECK (area_code ~ '^[0-9]{4}$'),
    CONSTRAINT store_areas_name_ck CHECK (length(name) BETWEEN 1 AND 64)
);

-- Tables are never deleted (orders refer to them); a table dropped from the store's spec is
-- disabled instead, and its code is then refused with TABLE_DISABLED.
ALTER TABLE dining_tables ADD COLUMN enabled BOOL NOT NULL DEFAULT true;
ALTER TABLE dining_tables ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
