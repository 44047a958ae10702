-- Unattended the TeamViewer way, help requests from the device user, handing a session over.

-- The TeamViewer device (an assigned TeamViewer Host, `GET /devices`) each MDM device is matched
-- to: by the alias Help@Work writes into Host's assignment configuration (`alias`), or by an
-- admin's confirmation (`confirmed`). One TeamViewer device serves one MDM device. The state
-- columns are TeamViewer's as last read (`checked_at`).
CREATE TABLE host_devices (
    device_id TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    remotecontrol_id TEXT NOT NULL,           -- r<TeamViewer ID>
    teamviewer_device_id TEXT NOT NULL,       -- d… (the contact-list entry)
    alias TEXT NOT NULL,
    matched_by TEXT NOT NULL,                 -- alias | confirmed
    confirmed_by TEXT,
    matched_at TEXT NOT NULL,
    assigned BIGINT NOT NULL,                 -- assigned_to the account
    online_state TEXT NOT NULL,               -- online | busy | away | offline | unknown
    last_seen TEXT,
    remote_control BIGINT NOT NULL,           -- supported_features has remote_control
    checked_at TEXT NOT NULL
);
CREATE UNIQUE INDEX host_devices_remotecontrol ON host_devices (remotecontrol_id);

-- The agents who signed in to TeamViewer here (at sign-in and each auth status), with the
-- TeamViewer user a case is assigned to when a session is handed to them.
CREATE TABLE agents (
    userid TEXT PRIMARY KEY,                  -- u… (TeamViewer's account id)
    name TEXT NOT NULL,                       -- TeamViewer's account name
    email TEXT,
    agent TEXT NOT NULL,                      -- the agent as sessions and the audit trail name them
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

-- Help requests: open service cases waiting unassigned (`u0`) in Help@Work's group, as first
-- seen, matched to an MDM device once, and who took each. Taking is a compare-and-set on
-- `state`: of agents taking one request at once, one wins.
CREATE TABLE help_requests (
    code TEXT PRIMARY KEY,                    -- the TeamViewer service case
    first_seen_at TEXT NOT NULL,
    end_customer_name TEXT,
    end_customer_email TEXT,
    device_id TEXT,                           -- the matched MDM device; NULL: unknown device
    matched_by TEXT,                          -- email | name | device
    candidates BIGINT NOT NULL,               -- the devices that fit the end customer
    state TEXT NOT NULL,                      -- waiting | taken
    taken_by TEXT,
    taken_userid TEXT,
    taken_at TEXT,
    session_id TEXT
);
CREATE INDEX help_requests_state ON help_requests (state, first_seen_at);

-- The TeamViewer user a session's case is assigned to (the creator, or whom it was handed to).
ALTER TABLE sessions ADD COLUMN teamviewer_userid TEXT;

-- Who handed which session to whom, and why.
CREATE TABLE session_handovers (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    from_agent TEXT NOT NULL,
    from_userid TEXT,
    to_agent TEXT NOT NULL,
    to_userid TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX session_handovers_session ON session_handovers (session_id, at);
