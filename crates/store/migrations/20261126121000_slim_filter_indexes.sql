-- A long-running process now answers text and filter lists from its in-memory index (see
-- `fleet_version`), so the filter indexes no longer carry `search_text` for those counts; they
-- keep a one-shot command's platform and readiness lists an index walk. Each write of a device
-- wrote its search text into four indexes; now into one (`devices_search`, which a one-shot
-- command's text search walks).
DROP INDEX devices_live_platform;
DROP INDEX devices_live_readiness;
DROP INDEX devices_live_platform_readiness;
CREATE INDEX devices_live_platform ON devices (platform, sort_key, id) WHERE removed_at IS NULL;
CREATE INDEX devices_live_readiness ON devices (readiness, sort_key, id) WHERE removed_at IS NULL;
CREATE INDEX devices_live_platform_readiness ON devices (platform, readiness, sort_key, id) WHERE removed_at IS NULL;
