-- When an episode first airs, as Unix seconds (TVmaze's airstamp, which carries its offset, so
-- no network time zone is needed); NULL when unknown. Imported from the data file like the
-- other fields, so a refresh that moves an episode moves this too, and the air-time alarm
-- that reads it.
ALTER TABLE episodes ADD COLUMN airs_at REAL;
CREATE INDEX episodes_by_air_time ON episodes (airs_at) WHERE airs_at IS NOT NULL;
