-- A device's MDM labels (device groups), as its source reports them: a JSON array of strings
-- (`[]`: in no label), NULL when the source does not report labels (unknown, never "none").
-- Read with the device in the same row, so listing and showing need no other query. Portable
-- SQL (SQLite and PostgreSQL): TEXT, as the other facts.
ALTER TABLE devices ADD COLUMN labels TEXT;
