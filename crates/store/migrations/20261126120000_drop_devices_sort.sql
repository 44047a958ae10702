-- Every list of devices reads live devices only, in name order, through the partial indexes of
-- live devices; this index of every device in name order served no query, and each write of a
-- device paid for it (a fifth of a 100,000-device sync's index writes).
DROP INDEX IF EXISTS devices_sort;
