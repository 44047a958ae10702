-- The session lifecycle follows TeamViewer.
-- valid_until: TeamViewer's end of validity of the session code (its answer, else 24 h after
-- creation); expires_at stays the moment the session stops holding its device (the earlier of
-- S5's 30 minutes on iOS and valid_until).
ALTER TABLE sessions ADD COLUMN valid_until TEXT;
-- When the session left the open states, and who ended it: an agent, or `teamviewer` when the
-- case was closed there.
ALTER TABLE sessions ADD COLUMN ended_at TEXT;
ALTER TABLE sessions ADD COLUMN ended_by TEXT;
-- The last time the session was read back from TeamViewer by its code (`GET /sessions/{code}`:
-- a case missing from the open list is asked for at most once a minute).
ALTER TABLE sessions ADD COLUMN reconciled_at TEXT;

-- Two open sessions never share one TeamViewer code.
CREATE UNIQUE INDEX sessions_one_open_per_code ON sessions (code)
    WHERE code IS NOT NULL AND state IN ('requested', 'created', 'delivered', 'waiting', 'active');

-- TeamViewer service cases a local end (lost, expired, failed, activation removed, device retired,
-- deprovisioned) still has to close at TeamViewer. Written in the transaction that ends the
-- session; a row leaves when TeamViewer confirms the close, so a close that keeps failing is
-- tried again on the next reconciliation and shown until it succeeds.
CREATE TABLE teamviewer_closes (
    code TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    reason TEXT NOT NULL,                     -- the session's end: lost | expired | failed | deactivated | retired | deprovisioned
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_at TEXT NOT NULL,
    last_attempt_at TEXT
);
