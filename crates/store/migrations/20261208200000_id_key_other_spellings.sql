-- A device is found by its id's key (helpatwork_domain::ident::id_key). For most devices the
-- stored id is its own key, and the primary key's index finds it; only the ids spelled otherwise
-- (another case, width or dash) need an index on the key. Keeping every device's key in a
-- second index made each write of a fleet with random ids (GUIDs) rewrite most of both.
DROP INDEX devices_id_key;
CREATE INDEX devices_id_key_other ON devices (id_key) WHERE id_key <> id;
