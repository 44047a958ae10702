-- The devices table's secondary indexes a sync's first load dropped (SQLite): its batches are
-- written in transactions of their own, so the indexes stay dropped across them and are built
-- again, each in one sorted pass, when the sync ends (`Store::build_deferred_indexes`). A row
-- here is written in the transaction that drops its index, so a crash never loses one.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql TEXT NOT NULL
);
