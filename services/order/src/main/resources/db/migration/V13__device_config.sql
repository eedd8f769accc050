-- Device config push (io.scanorder.order.kitchen.DeviceConfigPush), version 13: the revision of
-- the config document the service pushes, retained, on each device's config topic, and the
-- revision the device last reported in a heartbeat, so a device that did not apply the latest
-- settings is visible (DeviceRegistry health, gauge scanorder_device_config_current).
-- DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

-- '' until the device is next registered (the operator registers every KitchenDevice again on
-- each reconcile) or the push refresh fills it in.
ALTER TABLE kitchen_devices ADD COLUMN config_revision TEXT NOT NULL DEFAULT '';

-- '' until a heartbeat reports a revision (agents before config push never do).
ALTER TABLE kitchen_devices ADD COLUMN applied_config_revision TEXT NOT NULL DEFAULT '';
