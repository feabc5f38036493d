-- What members made outlives the catalog.
--
-- Until now a re-import deleted the episodes a file no longer listed, and ON DELETE CASCADE
-- took their watch parties, discussion threads and progress along (a renumbered S1E1 lost its
-- party, whose Discord event was orphaned). From here on:
-- * an import never deletes an episode: one that leaves its file is retired (`retired_at`),
--   hidden from lists and autocomplete but still there for whatever refers to it;
-- * rows members made (progress, discussion_threads, watch_parties, polls) refer to shows and
--   episodes with ON DELETE RESTRICT, so a delete that would take them fails instead;
-- * rows copied from a data file (episodes, links, credits, preset_polls, spoiler_terms,
--   specials) still cascade from their show: they are the file's, and `python -m bot remove`
--   deletes a show only when nothing members made refers to it.
--
-- SQLite cannot change a foreign key in place, so the tables are rebuilt the documented way
-- (create, copy, drop, rename). Store.migrate runs this with foreign_keys off, inside one
-- transaction, and runs PRAGMA foreign_key_check before it commits.

ALTER TABLE shows ADD COLUMN tvmaze_id INTEGER;
ALTER TABLE shows ADD COLUMN imdb_id TEXT;
ALTER TABLE shows ADD COLUMN network TEXT;
ALTER TABLE shows ADD COLUMN official_site TEXT;
ALTER TABLE shows ADD COLUMN image TEXT;
ALTER TABLE shows ADD COLUMN status TEXT;
ALTER TABLE shows ADD COLUMN retired_at REAL;  -- set by `remove --force`; an import clears it

-- Episodes: the (show, season, number) key now holds among current episodes only, so a
-- retired S1E1 does not block the file's new S1E1.
CREATE TABLE episodes_new (
    id              INTEGER PRIMARY KEY,
    show_id         INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    season          INTEGER NOT NULL CHECK (season >= 0),
    number          INTEGER NOT NULL CHECK (number >= 0),
    title           TEXT NOT NULL,
    synopsis        TEXT NOT NULL,
    recap           TEXT NOT NULL,
    ending          TEXT NOT NULL,
    runtime_minutes INTEGER CHECK (runtime_minutes > 0),
    air_date        TEXT,
    tvmaze_id       INTEGER,
    air_time        TEXT,
    image           TEXT,
    digest          TEXT,   -- of the file's entry when last imported: unchanged ones are skipped
    retired_at      REAL    -- when it left its data file; NULL while current
);
INSERT INTO episodes_new (id, show_id, season, number, title, synopsis, recap, ending,
                          runtime_minutes, air_date)
    SELECT id, show_id, season, number, title, synopsis, recap, ending, runtime_minutes, air_date
    FROM episodes;
DROP TABLE episodes;
ALTER TABLE episodes_new RENAME TO episodes;
CREATE UNIQUE INDEX episodes_current ON episodes (show_id, season, number)
    WHERE retired_at IS NULL;
-- Every episode of a show, retired ones included: what an import reads, what a cascade finds.
CREATE INDEX episodes_by_show ON episodes (show_id, season, number);
-- A renumbered episode is found again by its TVmaze id.
CREATE UNIQUE INDEX episodes_by_tvmaze ON episodes (show_id, tvmaze_id)
    WHERE tvmaze_id IS NOT NULL;

CREATE TABLE specials (
    show_id         INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    tvmaze_id       INTEGER,
    air_date        TEXT,
    air_time        TEXT,
    runtime_minutes INTEGER CHECK (runtime_minutes > 0),
    synopsis        TEXT,
    image           TEXT,
    PRIMARY KEY (show_id, position)
);

-- Catalog rows are rewritten per episode on import, and the cascades look them up by
-- episode: each needs an index that starts with episode_id (preset_polls and spoiler_terms
-- have one in their primary keys).
CREATE INDEX links_by_episode ON links (episode_id);
CREATE INDEX credits_by_episode ON credits (episode_id);

CREATE TABLE progress_new (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE RESTRICT,
    season     INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id, show_id)
) WITHOUT ROWID;
INSERT INTO progress_new (guild_id, user_id, show_id, season, number, updated_at)
    SELECT guild_id, user_id, show_id, season, number, updated_at FROM progress;
DROP TABLE progress;
ALTER TABLE progress_new RENAME TO progress;
CREATE INDEX progress_by_show ON progress (show_id);

CREATE TABLE discussion_threads_new (
    guild_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE RESTRICT,
    thread_id  INTEGER NOT NULL UNIQUE,
    parent_id  INTEGER NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (guild_id, episode_id)
) WITHOUT ROWID;
INSERT INTO discussion_threads_new (guild_id, episode_id, thread_id, parent_id, created_at)
    SELECT guild_id, episode_id, thread_id, parent_id, created_at FROM discussion_threads;
DROP TABLE discussion_threads;
ALTER TABLE discussion_threads_new RENAME TO discussion_threads;
CREATE INDEX discussion_threads_by_episode ON discussion_threads (episode_id);

CREATE TABLE watch_parties_new (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    episode_id      INTEGER NOT NULL REFERENCES episodes (id) ON DELETE RESTRICT,
    channel_id      INTEGER NOT NULL,         -- where members gather (announcements go here too)
    creator_id      INTEGER NOT NULL,
    starts_at       REAL NOT NULL,
    ends_at         REAL NOT NULL CHECK (ends_at > starts_at),
    event_id        INTEGER,                  -- the Discord scheduled event
    announcement_id INTEGER,                  -- the announcement message
    created_at      REAL NOT NULL,
    -- Each step is claimed once, in the same statement that checks it was not done yet.
    reminded_at     REAL,
    ended_at        REAL,
    cancelled_at    REAL
);
INSERT INTO watch_parties_new (id, guild_id, episode_id, channel_id, creator_id, starts_at,
                               ends_at, event_id, announcement_id, created_at, reminded_at,
                               ended_at, cancelled_at)
    SELECT id, guild_id, episode_id, channel_id, creator_id, starts_at, ends_at, event_id,
           announcement_id, created_at, reminded_at, ended_at, cancelled_at
    FROM watch_parties;
DROP TABLE watch_parties;
ALTER TABLE watch_parties_new RENAME TO watch_parties;
CREATE INDEX watch_parties_pending ON watch_parties (starts_at, ends_at)
    WHERE cancelled_at IS NULL AND ended_at IS NULL;
CREATE INDEX watch_parties_by_guild ON watch_parties (guild_id, starts_at);
CREATE INDEX watch_parties_by_episode ON watch_parties (episode_id, guild_id);

-- Polls kept ON DELETE SET NULL, which cut a poll off from its episode: RESTRICT too.
CREATE TABLE polls_new (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER UNIQUE,               -- set once the poll is posted
    creator_id  INTEGER NOT NULL,
    question    TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    mode        TEXT NOT NULL CHECK (mode IN ('live', 'blind', 'native')),
    episode_id  INTEGER REFERENCES episodes (id) ON DELETE RESTRICT,
    created_at  REAL NOT NULL,                -- unix seconds
    closes_at   REAL NOT NULL CHECK (closes_at > created_at),
    closed_at   REAL,
    -- Bumped by every vote; `shown` is the version the message last displayed, so a
    -- restart knows which messages are behind their votes.
    version     INTEGER NOT NULL DEFAULT 0,
    shown       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO polls_new (id, guild_id, channel_id, message_id, creator_id, question, mode,
                       episode_id, created_at, closes_at, closed_at, version, shown)
    SELECT id, guild_id, channel_id, message_id, creator_id, question, mode, episode_id,
           created_at, closes_at, closed_at, version, shown
    FROM polls;
DROP TABLE polls;
ALTER TABLE polls_new RENAME TO polls;
CREATE INDEX polls_open_by_deadline ON polls (closes_at) WHERE closed_at IS NULL;
CREATE INDEX polls_by_episode ON polls (episode_id, closed_at);
CREATE INDEX polls_by_guild ON polls (guild_id, closed_at);
