-- Support policies per device group, the ticket and view-only of a session, and four-eyes
-- approvals of unattended starts. Portable SQL (SQLite and PostgreSQL): text times (RFC 3339),
-- booleans as BIGINT 0/1.

-- A policy as its admin wrote it (`helpatwork_domain::policy::Policy` as JSON), validated
-- before it is saved and again when read. A team shares them through its PostgreSQL.
CREATE TABLE support_policies (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The ticket reference a start brought (a policy may require one), and whether a policy made
-- the session view only (personal devices).
ALTER TABLE sessions ADD COLUMN ticket TEXT;
ALTER TABLE sessions ADD COLUMN view_only BIGINT NOT NULL DEFAULT 0;

-- Four eyes: an unattended start a policy holds until another agent approves it. A request is
-- `pending`, then `approved` or `refused` by another agent, `used` by the requester's start, or
-- `expired` (`expires_at`: the request's, then the approval's). The agents are named as
-- sessions name them, with the TeamViewer account verified for each when there was one.
-- At most one pending or approved request per device and requester (written with OR: a
-- list of states in a migration is a session index's open states, which a test checks).
CREATE TABLE session_approvals (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    requester TEXT NOT NULL,
    requester_account_id TEXT,
    reason TEXT NOT NULL,
    ticket TEXT,
    policies TEXT NOT NULL,                   -- JSON array of the policy names
    approval_minutes BIGINT NOT NULL,
    state TEXT NOT NULL,                      -- pending | approved | refused | used | expired
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_by TEXT,
    decided_account_id TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    session_id TEXT
);
CREATE UNIQUE INDEX session_approvals_one_open ON session_approvals (device_id, requester)
    WHERE state = 'pending' OR state = 'approved';
CREATE INDEX session_approvals_state ON session_approvals (state, requested_at);
