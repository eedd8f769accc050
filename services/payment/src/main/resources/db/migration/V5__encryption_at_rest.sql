-- Encryption at rest (see io.scanorder.payment.store.FieldCipher): payments.payer_openid,
-- payments.transaction_id, its copy order_notices.transaction_id and
-- reconciliation_differences.transaction_id now hold AES-256-GCM ciphertext
-- ("enc1:<keyId>:<base64>", random nonce, so equal values encrypt differently). Lookups and
-- uniqueness use keyed HMAC-SHA256 columns instead of the clear values; the device fingerprint is
-- stored only as its HMAC. Values written before this version are encrypted at start-up by
-- LegacyPlaintext. Portable across CockroachDB and PostgreSQL 14 (see docs/database.md).

ALTER TABLE payments ADD COLUMN payer_openid_hmac TEXT;
ALTER TABLE payments ADD COLUMN payer_device_hmac TEXT;
ALTER TABLE payments ADD COLUMN transaction_id_hmac TEXT;
-- The clear-value constraint cannot see duplicates through random-nonce ciphertext; this can.
ALTER TABLE payments ADD CONSTRAINT payments_transaction_hmac_uq UNIQUE (transaction_id_hmac);

-- Per-payer and per-device Prepay rate limits count recent payments by these.
CREATE INDEX payments_payer_hmac_idx ON payments (payer_openid_hmac, created_at);
CREATE INDEX payments_device_hmac_idx ON payments (payer_device_hmac, created_at);
