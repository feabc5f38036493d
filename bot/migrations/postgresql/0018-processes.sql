-- SQLite's 0018 on PostgreSQL: work that belongs to no server, claimed by one process of
-- many (an atomic UPDATE is the claim), and new episodes queued per following server.
CREATE TABLE jobs (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until DOUBLE PRECISION NOT NULL
);

CREATE TABLE follow_news (
    guild_id   BIGINT NOT NULL,
    episode_id BIGINT NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, episode_id)
);
