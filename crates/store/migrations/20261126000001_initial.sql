-- Help@Work schema. Portable SQL: runs unchanged on SQLite (embedded) and PostgreSQL (team mode).
-- Booleans are BIGINT 0/1 (one decoding on both through sqlx::Any). Times are RFC 3339 UTC text with milliseconds, so text order is time order on both.

-- The tenant's licence facts (L1, U3). One row, id 'default'.
CREATE TABLE tenant (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT NOT NULL,                       -- silver | gold | platinum
    unattended_licences BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- The TeamViewer integration per mode (A1–A4): one row per mode, history in audit_events.
CREATE TABLE integration (
    mode TEXT PRIMARY KEY,                    -- attended | unattended
    active BIGINT NOT NULL,
    account_id TEXT,                          -- TeamViewer userid (never a token)
    account_name TEXT,
    eula_version TEXT,
    eula_sha256 TEXT,
    agreed_by TEXT,
    agreed_at TEXT,
    updated_at TEXT NOT NULL
);

-- The fleet. `search_text` and `sort_key` are derived from the other columns on write.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    user_email TEXT NOT NULL,
    platform TEXT NOT NULL,
    os_version TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    model TEXT NOT NULL,
    kiosk BIGINT NOT NULL,
    mam_only BIGINT NOT NULL,
    online BIGINT NOT NULL,
    last_checkin TEXT NOT NULL,
    host_activated BIGINT NOT NULL,
    readiness TEXT NOT NULL,                  -- ready | attention | blocked | unsupported
    search_text TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,                     -- embedded | ivanti | demo
    removed_at TEXT,                          -- set when the MDM no longer reports the device
    updated_at TEXT NOT NULL
);
CREATE INDEX devices_sort ON devices (sort_key, id);
CREATE INDEX devices_platform ON devices (platform, sort_key);
CREATE INDEX devices_readiness ON devices (readiness, sort_key);

CREATE TABLE device_apps (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,                        -- quicksupport | host | addon-universal | addon-oem
    version TEXT NOT NULL,
    managed BIGINT NOT NULL,
    allowlisted BIGINT NOT NULL,
    PRIMARY KEY (device_id, app)
);

-- Apps the admin distributed to a device (A6, U3: Host distributions consume licences).
CREATE TABLE app_distributions (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    distributed_by TEXT NOT NULL,
    distributed_at TEXT NOT NULL,
    PRIMARY KEY (device_id, app)
);

-- Managed app configuration per device and app (S4: the session code reaches the app here).
CREATE TABLE device_app_configs (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    config TEXT NOT NULL,                     -- JSON object
    updated_at TEXT NOT NULL,
    PRIMARY KEY (device_id, app)
);

-- Support sessions and their lifecycle.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    mode TEXT NOT NULL,
    state TEXT NOT NULL,                      -- requested | created | delivered | waiting | active | closed | expired | lost | failed
    code TEXT,
    agent TEXT NOT NULL,
    reason TEXT NOT NULL,
    supporter_link TEXT,
    end_customer_link TEXT,
    failed_step TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    updated_at TEXT NOT NULL
);
-- One open session per device, enforced by the database itself.
CREATE UNIQUE INDEX sessions_one_open_per_device ON sessions (device_id)
    WHERE state IN ('requested', 'created', 'delivered', 'waiting', 'active');
CREATE INDEX sessions_created ON sessions (created_at);

-- Who did what, when (agents and admins). Never holds a secret.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    device_id TEXT,
    session_id TEXT,
    detail TEXT NOT NULL                      -- JSON object
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_device ON audit_events (device_id, at);

-- Non-secret preferences (language, connector choice, …).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
