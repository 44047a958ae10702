-- A number every write to the tenant, its integrations or the support policies bumps in its
-- transaction. A long-running process keeps them in memory for preflight (read on every call)
-- and reads them again only when this number moved, so another process's or another agent's
-- change shows up on its next preflight.
CREATE TABLE admin_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO admin_version (id, version) VALUES (1, 0);
