-- The fleet readiness board's counts, kept once a day per mode so the board draws each group
-- over time. Portable SQL (SQLite and PostgreSQL): the day as text (YYYY-MM-DD, UTC), the
-- groups' counts as a JSON object (blocker -> devices), times as RFC 3339 text.
CREATE TABLE readiness_snapshots (
    day TEXT NOT NULL,
    mode TEXT NOT NULL,                       -- attended | unattended
    total BIGINT NOT NULL,
    helpable_now BIGINT NOT NULL,
    groups TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (day, mode)
);
