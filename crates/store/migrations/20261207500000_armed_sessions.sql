-- Armed sessions: a start the agent leaves waiting for the device's next check-in
-- (`helpatwork_domain::armed`). Portable SQL (SQLite and PostgreSQL): text times (RFC 3339).
--
-- `armed` waits and holds the device for its agent; the check-in that fires it moves it to
-- `fired` with the session it started, by a compare-and-set in the transaction that records
-- that session, so of two processes that both see the check-in one starts it. Otherwise
-- `expired` (`expires_at` passed), `cancelled` by the agent, or `failed` (`error`: the start
-- the check-in fired was refused).
CREATE TABLE armed_sessions (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    agent TEXT NOT NULL,
    reason TEXT NOT NULL,
    ticket TEXT,
    state TEXT NOT NULL,                 -- armed | fired | expired | cancelled | failed
    armed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    armed_checkin TEXT NOT NULL,         -- the device's last check-in when it was armed
    rearm_of TEXT,                       -- the ended session it starts again, if any
    ended_at TEXT,
    ended_by TEXT,
    session_id TEXT,                     -- fired: the session it started
    error TEXT                           -- failed: why the start was refused
);
-- One armed session per device: it holds the device for its agent.
CREATE UNIQUE INDEX armed_sessions_one_per_device ON armed_sessions (device_id)
    WHERE state = 'armed';
CREATE INDEX armed_sessions_state ON armed_sessions (state, expires_at);
