-- Where each MDM connector's sync stands: the watermark of incremental syncs and the last run's
-- outcome. Portable SQL (SQLite and PostgreSQL): text times (RFC 3339).
--
-- `watermark`: every change the MDM reported before this instant is in the store. It is the
-- start of the last sync that completed (full or incremental) and only moves forward; a failed
-- or cancelled sync leaves it. The next incremental sync asks for the devices changed after it,
-- less an overlap margin for the clocks of the MDM and of this machine.
-- `last_full_at`: the start of the last completed full sync (which also finds deletions).
-- `last_*`: the last sync that ended, whatever its outcome, for the window and `doctor`.
CREATE TABLE sync_watermarks (
    connector TEXT PRIMARY KEY,
    watermark TEXT,
    last_full_at TEXT,
    last_run_at TEXT,
    last_mode TEXT,                 -- full | incremental
    last_outcome TEXT,              -- ok | failed | cancelled
    last_error TEXT,
    last_devices BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
