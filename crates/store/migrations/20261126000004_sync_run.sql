-- The `devices sync` run that last saw a device: after a complete run, devices of that source the
-- MDM no longer reports are marked removed (never silently deleted).
ALTER TABLE devices ADD COLUMN sync_run TEXT;

-- How a session reached the device: its app's managed app configuration (S4), or, where the
-- MDM connector cannot push one, the end-customer link given to the device user.
ALTER TABLE sessions ADD COLUMN delivery TEXT;
