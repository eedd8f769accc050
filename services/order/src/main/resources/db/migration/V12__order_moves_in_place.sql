-- Order moves in place, version 12: no index on orders holds `state`, so the kitchen moves
-- (PAID -> ACCEPTED -> DISPATCHING -> COOKING, and on to SERVED/COMPLETED) change no indexed value.
-- On PostgreSQL such an UPDATE is a heap-only (HOT) update: it writes no index entry. An UPDATE
-- that changes an indexed column instead inserts a new entry into EVERY index of the table,
-- including orders_pk, and PostgreSQL's serializable (SSI) predicate locks on a btree cover a
-- whole leaf page, even for a primary-key point lookup; so two concurrent moves of different
-- orders whose ids share a leaf page each wrote what the other read and one was aborted with
-- 40001 (docs/database.md "Keeping transactions apart on PostgreSQL SSI"). CockroachDB locks
-- rows, and writes two fewer index entries per move after this change.
-- DDL only (docs/database.md rule 11); runs unchanged on CockroachDB and PostgreSQL 14.

-- Room on each heap page for the next versions of its rows, so the in-place update finds space
-- (PostgreSQL applies it to the rewrite below; CockroachDB accepts and ignores fillfactor).
ALTER TABLE orders SET (fillfactor = 70);

-- The state while the order waits on the diner (to pay, to pick up), else NULL. The two queries
-- that need orders by state use it: the payment-timeout closer (PENDING_PAYMENT) and the LED
-- pickup board (READY). It changes only on moves into or out of those two states.
ALTER TABLE orders ADD COLUMN waiting_state TEXT
    GENERATED ALWAYS AS (
        CASE WHEN state IN ('PENDING_PAYMENT', 'READY') THEN state ELSE NULL END
    ) STORED;

DROP INDEX orders_store_state_ix;
DROP INDEX orders_state_deadline_ix;
CREATE INDEX orders_waiting_deadline_ix ON orders (waiting_state, payment_deadline);
CREATE INDEX orders_store_waiting_ix ON orders (store_id, waiting_state);
