-- Kitchen dispatch (io.scanorder.order.kitchen), version 6: the device registry and health the
-- service observes over MQTT, and the lease columns the outbox dispatcher claims rows with.
-- DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

-- One row per kitchen device of a store (from its KitchenDevice resource, via DeviceRegistry).
-- A deregistered device keeps its row (deregistered_at set) so its tickets stay explainable.
CREATE TABLE kitchen_devices (
    store_id                   UUID        NOT NULL,
    device_id                  TEXT        NOT NULL,
    device_type                TEXT        NOT NULL,
    role                       TEXT        NOT NULL,
    heartbeat_interval_seconds INT4        NOT NULL,
    paper_width_mm             INT4        NULL,
    copies                     INT4        NOT NULL DEFAULT 1,
    cutter                     BOOL        NOT NULL DEFAULT false,
    registered_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    deregistered_at            TIMESTAMPTZ NULL,
    last_heartbeat_at          TIMESTAMPTZ NULL,
    online                     BOOL        NOT NULL DEFAULT false,
    paper_state                TEXT        NOT NULL DEFAULT 'UNKNOWN',
    cover_state                TEXT        NOT NULL DEFAULT 'UNKNOWN',
    printer_state              TEXT        NOT NULL DEFAULT 'UNKNOWN',
    queue_depth                INT4        NOT NULL DEFAULT 0,
    agent_version              TEXT        NOT NULL DEFAULT '',
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT kitchen_devices_pk PRIMARY KEY (store_id, device_id),
    CONSTRAINT kitchen_devices_store_fk FOREIGN KEY (store_id) REFERENCES stores (store_id),
    CONSTRAINT kitchen_devices_id_ck CHECK (device_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
    CONSTRAINT kitchen_devices_type_ck CHECK (device_type IN ('PRINTER', 'KDS_TABLET', 'LED_BOARD')),
    CONSTRAINT kitchen_devices_role_ck CHECK (role IN ('PRIMARY', 'BACKUP')),
    CONSTRAINT kitchen_devices_interval_ck CHECK (heartbeat_interval_seconds BETWEEN 1 AND 300),
    CONSTRAINT kitchen_devices_width_ck CHECK (paper_width_mm IS NULL OR paper_width_mm IN (58, 80)),
    CONSTRAINT kitchen_devices_copies_ck CHECK (copies BETWEEN 1 AND 3),
    CONSTRAINT kitchen_devices_paper_ck CHECK (paper_state IN ('OK', 'LOW', 'OUT', 'UNKNOWN')),
    CONSTRAINT kitchen_devices_cover_ck CHECK (cover_state IN ('CLOSED', 'OPEN', 'UNKNOWN')),
    CONSTRAINT kitchen_devices_printer_ck
        CHECK (printer_state IN ('ONLINE', 'OFFLINE', 'UNREACHABLE', 'UNKNOWN')),
    CONSTRAINT kitchen_devices_depth_ck CHECK (queue_depth >= 0)
);

-- The stations a device serves (routing looks devices up by station).
CREATE TABLE kitchen_device_stations (
    store_id  UUID NOT NULL,
    device_id TEXT NOT NULL,
    station   TEXT NOT NULL,
    CONSTRAINT kitchen_device_stations_pk PRIMARY KEY (store_id, device_id, station),
    CONSTRAINT kitchen_device_stations_device_fk FOREIGN KEY (store_id, device_id)
        REFERENCES kitchen_devices (store_id, device_id),
    CONSTRAINT kitchen_device_stations_name_ck CHECK (station ~ '^[a-z0-9][a-z0-9-]{0,31}$')
);

CREATE INDEX kitchen_device_stations_station_ix ON kitchen_device_stations (store_id, station);

-- Alarms a device raised and has not cleared (one row per alarm type).
CREATE TABLE kitchen_device_alarms (
    store_id  UUID        NOT NULL,
    device_id TEXT        NOT NULL,
    alarm     TEXT        NOT NULL,
    raised_at TIMESTAMPTZ NOT NULL,
    detail    TEXT        NOT NULL DEFAULT '',
    CONSTRAINT kitchen_device_alarms_pk PRIMARY KEY (store_id, device_id, alarm),
    CONSTRAINT kitchen_device_alarms_device_fk FOREIGN KEY (store_id, device_id)
        REFERENCES kitchen_devices (store_id, device_id),
    CONSTRAINT kitchen_device_alarms_alarm_ck
        CHECK (alarm IN ('PAPER_OUT', 'PAPER_LOW', 'COVER_OPEN', 'PRINTER_UNREACHABLE'))
);

-- Why the last device refused a ticket (an ack with status FAILED), and when it was first sent.
ALTER TABLE kitchen_tickets ADD COLUMN failure_reason TEXT NULL;
ALTER TABLE kitchen_tickets ADD COLUMN first_sent_at TIMESTAMPTZ NULL;

-- Dispatcher lease: a replica claims a due row with a conditional UPDATE setting claimed_until;
-- another replica may take it only after the lease expired. completed_at is set when a device
-- acknowledged the message (the row is then never published again).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NULL;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ NULL;
ALTER TABLE outbox ADD COLUMN completed_at TIMESTAMPTZ NULL;

CREATE INDEX outbox_due_ix ON outbox (completed_at, available_at);
CREATE INDEX outbox_aggregate_ix ON outbox (aggregate_id);
CREATE INDEX kitchen_tickets_device_ix ON kitchen_tickets (device_id, state);
