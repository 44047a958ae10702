-- The last computed readiness board, one row per mode, so the window paints it at once and
-- computes a fresh one behind it. Portable SQL (SQLite and PostgreSQL): the groups' counts as a
-- JSON object (blocker -> devices), the time as RFC 3339 text. Each computation replaces the row.
CREATE TABLE readiness_board (
    mode TEXT PRIMARY KEY,                    -- attended | unattended
    offline_days BIGINT NOT NULL,
    total BIGINT NOT NULL,
    helpable_now BIGINT NOT NULL,
    groups TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
