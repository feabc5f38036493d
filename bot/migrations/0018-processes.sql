-- Work that belongs to no server (the daily TVmaze refresh of the catalog) runs in one process
-- of many that share this database: the one that claims the job's row first, until `until`.
-- An atomic UPDATE is the claim, so two processes waking together cannot both win.
CREATE TABLE jobs (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until REAL NOT NULL
);

-- New episodes of followed shows, per server following the show: found once, by whichever
-- process claims them (known_episodes), and announced by the process holding that server's
-- shard, which takes its rows out as it announces them.
CREATE TABLE follow_news (
    guild_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, episode_id)
);
