-- SQLite's 0017 on PostgreSQL: when each episode airs (TVmaze's airstamp, seconds since the
-- epoch in UTC), the servers that open threads at air time, and what each has announced.
ALTER TABLE episodes ADD COLUMN airs_at DOUBLE PRECISION;
CREATE INDEX episodes_by_air_time ON episodes (airs_at) WHERE airs_at IS NOT NULL;

CREATE TABLE airing (
    guild_id   BIGINT NOT NULL,
    show_id    BIGINT NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL,
    role_id    BIGINT,
    since      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, show_id)
);

CREATE TABLE airing_done (
    guild_id   BIGINT NOT NULL,
    episode_id BIGINT NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'sending', 'done', 'skipped')),
    late       BIGINT NOT NULL CHECK (late IN (0, 1)),
    thread_id  BIGINT,
    message_id BIGINT,
    at         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, episode_id)
);

-- SQLite's two-argument max() on timestamps (bot/store/airing.py), as the baseline has it
-- for integers.
CREATE FUNCTION max(a DOUBLE PRECISION, b DOUBLE PRECISION) RETURNS DOUBLE PRECISION
    LANGUAGE sql IMMUTABLE AS 'SELECT greatest(a, b)';
