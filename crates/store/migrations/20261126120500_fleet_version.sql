-- A number every write that changes a device list bumps in its transaction (a device written,
-- removed or revived). A long-running process keeps the live fleet's search index in memory and
-- rebuilds it when this number moves, so another process's or another agent's writes show up on
-- its next query.
CREATE TABLE fleet_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO fleet_version (id, version) VALUES (1, 0);
