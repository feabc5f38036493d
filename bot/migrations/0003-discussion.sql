-- Spoiler-guarded discussion: server settings, watch progress, threads, watch parties.

CREATE TABLE guild_settings (
    guild_id                INTEGER PRIMARY KEY,
    discussion_channel_id   INTEGER,          -- a forum or text channel for /discuss threads
    announcement_channel_id INTEGER,          -- watch-party announcements and reminders
    time_zone               TEXT NOT NULL DEFAULT 'UTC',
    -- What members who never set their progress for a show are taken to have seen.
    unset_progress          TEXT NOT NULL DEFAULT 'warn' CHECK (unset_progress IN ('warn', 'caught_up')),
    -- Who may create polls and watch parties.
    organisers              TEXT NOT NULL DEFAULT 'everyone'
                            CHECK (organisers IN ('everyone', 'role', 'moderators')),
    organiser_role_id       INTEGER,
    -- How long after a watch party starts the spoiler guard watches guarded channels.
    guard_hours             INTEGER NOT NULL DEFAULT 72 CHECK (guard_hours BETWEEN 1 AND 720)
);

CREATE TABLE guarded_channels (
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
) WITHOUT ROWID;

-- "I have watched up to S4E6": one position per member, server and show.
CREATE TABLE progress (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    season     INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id, show_id)
) WITHOUT ROWID;

-- The one discussion thread per episode and server.
CREATE TABLE discussion_threads (
    guild_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    thread_id  INTEGER NOT NULL UNIQUE,
    parent_id  INTEGER NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (guild_id, episode_id)
) WITHOUT ROWID;

CREATE TABLE watch_parties (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    episode_id      INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
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
CREATE INDEX watch_parties_pending ON watch_parties (starts_at, ends_at)
    WHERE cancelled_at IS NULL AND ended_at IS NULL;
CREATE INDEX watch_parties_by_guild ON watch_parties (guild_id, starts_at);
