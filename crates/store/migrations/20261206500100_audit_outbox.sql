-- Streaming the audit trail to a SIEM: the sinks every process of the store forwards to, and an
-- outbox row per (sink, event) written in the event's transaction. A row leaves the outbox when
-- its sink acknowledged it; what stays is the backlog, so a restart resumes where it stopped.

-- A sink: syslog (RFC 5424 over TCP/TLS) or a webhook (JSON lines over HTTPS). `config` is its
-- JSON settings (never a secret: a webhook's bearer secret is in each machine's OS keyring).
-- The lease (`lease_holder`, `lease_until`) lets one sender at a time deliver to a sink, so two
-- processes never interleave its events; `attempts` and `next_attempt_at` are its backoff, kept
-- here so a restarted or another process waits the same.
CREATE TABLE audit_sinks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                        -- syslog | webhook
    config TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    lease_holder TEXT NOT NULL DEFAULT '',
    lease_until TEXT NOT NULL DEFAULT '',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT '',
    last_error TEXT,
    last_error_at TEXT,
    delivered BIGINT NOT NULL DEFAULT 0,
    last_delivered_at TEXT
);

-- The events a sink has not acknowledged yet, in the trail's order (`at`, then the event id).
CREATE TABLE audit_outbox (
    sink_id TEXT NOT NULL REFERENCES audit_sinks (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (sink_id, event_id)
);
CREATE INDEX audit_outbox_order ON audit_outbox (sink_id, at, event_id);
