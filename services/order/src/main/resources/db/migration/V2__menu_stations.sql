-- ScanOrder order service schema, version 2: menus.
-- Portable SQL (docs/database.md). Revisions themselves live in menu_revisions (V1) and are never
-- updated; stores.current_menu_revision names the one in force.

-- Kitchen stations of a store (from the Store resource's spec.stations). When a store has rows
-- here, PublishMenu refuses items whose station is not one of them; with no rows, any station
-- name is accepted (the store's stations are not known yet).
CREATE TABLE store_stations (
    store_id   UUID        NOT NULL,
    station    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT store_stations_pk PRIMARY KEY (store_id, station),
    CONSTRAINT store_stations_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT store_stations_name_ck CHECK (station ~ '^[a-z0-9][a-z0-9-]{0,31}$')
);

-- Lists a store's revisions newest first (history, GetMenu by age).
CREATE INDEX menu_revisions_store_published_ix ON menu_revisions (store_id, published_at DESC);
