-- Search walks this index in name order and tests `search_text` on the index entry itself, so a
-- rare match no longer fetches every table row (one random read per device) on its way.
CREATE INDEX devices_search ON devices (sort_key, id, search_text) WHERE removed_at IS NULL;
