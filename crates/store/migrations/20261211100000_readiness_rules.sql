-- The version of the readiness rules (`eligibility::READINESS_RULES`) the stored readiness
-- was computed under. A start that finds it older than its own rules rewrites the devices
-- whose readiness changed, then records its version (`Store::keep_readiness_current`); a start
-- under the same rules reads this one row and nothing more.
--
-- A later migration that changes a fact the readiness reads sets it back to 0, so the next
-- start rewrites the stored readiness under the rules of that day:
--   UPDATE readiness_rules SET version = 0 WHERE id = 1;
CREATE TABLE readiness_rules (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO readiness_rules (id, version) VALUES (1, 0);
