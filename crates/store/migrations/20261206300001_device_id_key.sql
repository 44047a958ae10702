-- Two ids are the same device when their keys are equal: NFKC, lower case, dashes as "-"
-- (helpatwork_domain::ident::id_key). `lower(id)` is that key for the ASCII ids of before; the
-- store recomputes the key of every other id right after migrating (devices::fill_id_keys).
ALTER TABLE devices ADD COLUMN id_key TEXT;
UPDATE devices SET id_key = lower(id);
CREATE INDEX devices_id_key ON devices (id_key);
