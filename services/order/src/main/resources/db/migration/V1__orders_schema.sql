-- ScanOrder order service schema, version 1.
-- Runs unchanged on CockroachDB and PostgreSQL 14: see docs/database.md for the rules.
-- Ids are UUIDs (random, so CockroachDB spreads writes across ranges); money is INT8 fen;
-- times are TIMESTAMPTZ; enumerations are TEXT with CHECK constraints.

CREATE TABLE stores (
    store_id              UUID        NOT NULL DEFAULT gen_random_uuid(),
    store_code            TEXT        NOT NULL,
    name                  TEXT        NOT NULL,
    timezone              TEXT        NOT NULL DEFAULT 'Asia/Shanghai',
    order_timeout_seconds INT4        NOT NULL DEFAULT 900,
    order_limit_fen       INT8        NULL,
    current_menu_revision TEXT        NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT stores_pk PRIMARY KEY (store_id),
    CONSTRAINT stores_code_uq UNIQUE (store_code),
    CONSTRAINT stores_code_ck CHECK (store_code ~ '^[0-9]{3}$'),
    CONSTRAINT stores_timeout_ck CHECK (order_timeout_seconds BETWEEN 60 AND 86400),
    CONSTRAINT stores_limit_ck CHECK (order_limit_fen IS NULL OR order_limit_fen > 0)
);

CREATE TABLE dining_tables (
    table_id   UUID        NOT NULL DEFAULT gen_random_uuid(),
    store_id   UUID        NOT NULL,
    area_code  TEXT        NOT NULL,
    table_no   TEXT        NOT NULL,
    table_code TEXT        NOT NULL,
    seats      INT4        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dining_tables_pk PRIMARY KEY (table_id),
    CONSTRAINT dining_tables_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT dining_tables_code_uq UNIQUE (table_code),
    CONSTRAINT dining_tables_place_uq UNIQUE (store_id, area_code, table_no),
    CONSTRAINT dining_tables_area_ck CHECK (area_code ~ '^[0-9]{4}$'),
    CONSTRAINT dining_tables_no_ck CHECK (table_no ~ '^[0-9]{4}$'),
    CONSTRAINT dining_tables_code_ck CHECK (table_code ~ '^[0-9]{12}$'),
    CONSTRAINT dining_tables_seats_ck CHECK (seats BETWEEN 1 AND 99)
);

CREATE TABLE menu_revisions (
    store_id      UUID        NOT NULL,
    revision_hash TEXT        NOT NULL,
    content       JSONB       NOT NULL,
    item_count    INT4        NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT menu_revisions_pk PRIMARY KEY (store_id, revision_hash),
    CONSTRAINT menu_revisions_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT menu_revisions_hash_ck CHECK (revision_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT menu_revisions_count_ck CHECK (item_count >= 0)
);

CREATE TABLE orders (
    order_id           UUID        NOT NULL DEFAULT gen_random_uuid(),
    store_id           UUID        NOT NULL,
    table_id           UUID        NOT NULL,
    idempotency_key    TEXT        NOT NULL,
    pickup_number      TEXT        NOT NULL,
    state              TEXT        NOT NULL,
    menu_revision_hash TEXT        NOT NULL,
    total_fen          INT8        NOT NULL,
    paid_fen           INT8        NOT NULL DEFAULT 0,
    refunded_fen       INT8        NOT NULL DEFAULT 0,
    remark             TEXT        NOT NULL DEFAULT '',
    party_size         INT4        NOT NULL DEFAULT 1,
    payment_deadline   TIMESTAMPTZ NULL,
    version            INT8        NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orders_pk PRIMARY KEY (order_id),
    CONSTRAINT orders_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT orders_table_fk FOREIGN KEY (table_id) REFERENCES dining_tables (table_id),
    CONSTRAINT orders_menu_fk FOREIGN KEY (store_id, menu_revision_hash)
        REFERENCES menu_revisions (store_id, revision_hash),
    CONSTRAINT orders_idempotency_uq UNIQUE (store_id, idempotency_key),
    CONSTRAINT orders_key_ck CHECK (length(idempotency_key) BETWEEN 1 AND 64),
    CONSTRAINT orders_state_ck CHECK (state IN (
        'PENDING_PAYMENT', 'PAID', 'ACCEPTED', 'DISPATCHING', 'COOKING', 'READY', 'SERVED',
        'COMPLETED', 'REVIEWED', 'CANCELLED', 'CLOSED', 'REFUNDING', 'REFUNDED',
        'PARTIALLY_REFUNDED')),
    CONSTRAINT orders_money_ck CHECK (
        total_fen >= 0 AND paid_fen >= 0 AND refunded_fen >= 0 AND refunded_fen <= paid_fen),
    CONSTRAINT orders_party_ck CHECK (party_size BETWEEN 1 AND 99)
);

CREATE INDEX orders_store_created_ix ON orders (store_id, created_at DESC);
CREATE INDEX orders_state_deadline_ix ON orders (state, payment_deadline);

CREATE TABLE order_lines (
    line_id        UUID  NOT NULL DEFAULT gen_random_uuid(),
    order_id       UUID  NOT NULL,
    line_no        INT4  NOT NULL,
    sku_code       TEXT  NOT NULL,
    spu_code       TEXT  NOT NULL,
    name           TEXT  NOT NULL,
    spec           TEXT  NOT NULL DEFAULT '',
    station        TEXT  NOT NULL,
    unit_price_fen INT8  NOT NULL,
    quantity       INT4  NOT NULL,
    line_total_fen INT8  NOT NULL,
    note           TEXT  NOT NULL DEFAULT '',
    CONSTRAINT order_lines_pk PRIMARY KEY (line_id),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id),
    CONSTRAINT order_lines_no_uq UNIQUE (order_id, line_no),
    CONSTRAINT order_lines_quantity_ck CHECK (quantity BETWEEN 1 AND 99),
    CONSTRAINT order_lines_price_ck CHECK (unit_price_fen >= 0),
    CONSTRAINT order_lines_total_ck CHECK (line_total_fen = unit_price_fen * quantity)
);

-- Audit trail: who changed an order, when and why.
CREATE TABLE order_events (
    event_id    UUID        NOT NULL DEFAULT gen_random_uuid(),
    order_id    UUID        NOT NULL,
    from_state  TEXT        NULL,
    to_state    TEXT        NOT NULL,
    actor_kind  TEXT        NOT NULL,
    actor_id    TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT order_events_pk PRIMARY KEY (event_id),
    CONSTRAINT order_events_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id),
    CONSTRAINT order_events_actor_ck CHECK (actor_kind IN ('DINER', 'STAFF', 'SYSTEM', 'PAYMENT'))
);

CREATE INDEX order_events_order_ix ON order_events (order_id, occurred_at);

CREATE TABLE refunds (
    refund_id         UUID        NOT NULL DEFAULT gen_random_uuid(),
    order_id          UUID        NOT NULL,
    idempotency_key   TEXT        NOT NULL,
    refund_fen        INT8        NOT NULL,
    state             TEXT        NOT NULL,
    reason            TEXT        NOT NULL,
    requested_by_kind TEXT        NOT NULL,
    requested_by_id   TEXT        NOT NULL,
    decided_by_id     TEXT        NULL,
    requested_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at        TIMESTAMPTZ NULL,
    CONSTRAINT refunds_pk PRIMARY KEY (refund_id),
    CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id),
    CONSTRAINT refunds_idempotency_uq UNIQUE (order_id, idempotency_key),
    CONSTRAINT refunds_amount_ck CHECK (refund_fen > 0),
    CONSTRAINT refunds_state_ck CHECK (state IN (
        'AWAITING_APPROVAL', 'PROCESSING', 'SUCCEEDED', 'DECLINED', 'FAILED'))
);

-- One ticket per order and kitchen station; device_id is the device it was last sent to.
CREATE TABLE kitchen_tickets (
    ticket_id  UUID        NOT NULL DEFAULT gen_random_uuid(),
    order_id   UUID        NOT NULL,
    station    TEXT        NOT NULL,
    device_id  TEXT        NULL,
    state      TEXT        NOT NULL DEFAULT 'PENDING',
    attempts   INT4        NOT NULL DEFAULT 0,
    content    JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    acked_at   TIMESTAMPTZ NULL,
    CONSTRAINT kitchen_tickets_pk PRIMARY KEY (ticket_id),
    CONSTRAINT kitchen_tickets_order_fk FOREIGN KEY (order_id) REFERENCES orders (order_id),
    CONSTRAINT kitchen_tickets_station_uq UNIQUE (order_id, station),
    CONSTRAINT kitchen_tickets_state_ck CHECK (state IN ('PENDING', 'SENT', 'ACKED', 'FAILED')),
    CONSTRAINT kitchen_tickets_attempts_ck CHECK (attempts >= 0)
);

-- Transactional outbox: rows are written in the same transaction as the state change and
-- published to MQTT by the dispatcher, which retries until a device acknowledges.
CREATE TABLE outbox (
    message_id     UUID        NOT NULL DEFAULT gen_random_uuid(),
    aggregate_type TEXT        NOT NULL,
    aggregate_id   UUID        NOT NULL,
    topic          TEXT        NOT NULL,
    payload        BYTEA       NOT NULL,
    attempts       INT4        NOT NULL DEFAULT 0,
    available_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at   TIMESTAMPTZ NULL,
    last_error     TEXT        NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT outbox_pk PRIMARY KEY (message_id),
    CONSTRAINT outbox_attempts_ck CHECK (attempts >= 0)
);

CREATE INDEX outbox_pending_ix ON outbox (published_at, available_at);
