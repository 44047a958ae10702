-- The audit trail is a hash chain (docs/audit.md, "Tamper-evident trail"): each event has its
-- position (`seq`, 1, 2, 3, … with no gap), the hash of the event before it (`prev_hash`, 64
-- zeros for the first) and its own hash: SHA-256 over the RFC 8785 canonical JSON of the event
-- and `prev_hash`. All three are written in the transaction that writes the event. The events
-- of before are chained by the store right after this migration (chain::backfill), in (at, id)
-- order; until then their three columns are NULL.
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
-- One event per position (NULLs, the events not chained yet, are not equal to one another).
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);

-- The chain's head: the last event's position and hash, one row. Every event's transaction
-- updates it first (the row lock on PostgreSQL, the write lock on SQLite), so writers of all
-- processes take their turn and the chain never forks; `audit verify` finds a tail cut when the
-- last event is behind it.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
