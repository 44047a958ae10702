-- Platform and readiness together (e.g. iOS devices that are unsupported): the page comes straight
-- from this index in name order instead of filtering one of the two from the table rows.
CREATE INDEX devices_platform_readiness ON devices (platform, readiness, sort_key, id) WHERE removed_at IS NULL;
