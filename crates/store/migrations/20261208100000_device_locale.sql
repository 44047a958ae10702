-- A device's locale as its source reports it (`pt-BR`, `en_US`), NULL when the source does not
-- report one (unknown, never guessed). Read with the device in the same row, so showing it and
-- choosing the coaching card's language need no other query. Portable SQL (SQLite and
-- PostgreSQL): TEXT, as the other facts.
ALTER TABLE devices ADD COLUMN locale TEXT;
