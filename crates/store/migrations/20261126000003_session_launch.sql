-- Whether the desktop client was handed the session's supporter link.
ALTER TABLE sessions ADD COLUMN launched BIGINT NOT NULL DEFAULT 0;
