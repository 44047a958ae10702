-- A fact a source cannot report is NULL (unknown), never 0 or "none": the product warns that it
-- cannot be verified instead of stating it false.
--
-- Host's one-time activation: `host_activation` (NULL unknown). `host_activated` stays only
-- because neither database lets a portable migration drop its NOT NULL; writes mirror the fact
-- into it (unknown as 0) and nothing reads it.
ALTER TABLE devices ADD COLUMN host_activation BIGINT;
UPDATE devices SET host_activation = host_activated;
-- Whether the installed apps are known at all: 0 means the device's `device_apps` rows are not
-- its inventory (there are none), not that it has no apps.
ALTER TABLE devices ADD COLUMN apps_known BIGINT NOT NULL DEFAULT 1;
-- What the MDM reports about management and security, NULL when none is reported: compliant,
-- quarantined, jailbroken, supervised, lost mode (each `1`, `0` or `-` for unknown), ownership
-- (`c`, `e`, `-`), then the MDM client's version, e.g. `100-0c12.12.0` (store/src/device_read.rs).
ALTER TABLE devices ADD COLUMN management TEXT;

-- An app's version and flags may be unknown; `installing` says the MDM reports it still being
-- installed. The table is rebuilt (portably) to drop the NOT NULL of the three facts.
CREATE TABLE device_apps_facts (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,                        -- quicksupport | host | addon-universal | addon-oem
    version TEXT,                             -- NULL: installed, version not reported
    managed BIGINT,                           -- NULL: not reported
    allowlisted BIGINT,                       -- NULL: not reported
    installing BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, app)
);
INSERT INTO device_apps_facts (device_id, app, version, managed, allowlisted, installing)
    SELECT device_id, app, version, managed, allowlisted, 0 FROM device_apps;
DROP TABLE device_apps;
ALTER TABLE device_apps_facts RENAME TO device_apps;
