-- When an episode first airs, as Unix seconds (TVmaze's airstamp, which carries its offset, so
-- no network time zone is needed); NULL when unknown. Imported from the data file like the
-- other fields, so a refresh that moves an episode moves this too, and the air-time alarm
-- that reads it.
ALTER TABLE episodes ADD COLUMN airs_at REAL;
CREATE INDEX episodes_by_air_time ON episodes (airs_at) WHERE airs_at IS NOT NULL;

-- Shows a server follows as a community: when an episode airs, its discussion thread opens
-- and `channel_id` gets an announcement pinging `role_id` (none when NULL). Episodes that
-- aired before `since` (when the server started following) are not announced.
CREATE TABLE airing (
    guild_id   INTEGER NOT NULL,
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    role_id    INTEGER,
    since      REAL NOT NULL,
    PRIMARY KEY (guild_id, show_id)
);

-- Each episode is announced once per server, across restarts: claimed before Discord is
-- asked, 'sending' (with `at`, for the nonce's memory) once its thread is open, then 'done'
-- with the announcement's id, or 'skipped' when Discord refused it. `late`: it aired well
-- before the bot could act (it was offline), so the announcement says so.
CREATE TABLE airing_done (
    guild_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'sending', 'done', 'skipped')),
    late       INTEGER NOT NULL CHECK (late IN (0, 1)),
    thread_id  INTEGER,
    message_id INTEGER,
    at         REAL NOT NULL,
    PRIMARY KEY (guild_id, episode_id)
);
