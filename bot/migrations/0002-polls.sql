-- Episode polls: button polls (live or blind) and Discord native polls.

CREATE TABLE polls (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER UNIQUE,               -- set once the poll is posted
    creator_id  INTEGER NOT NULL,
    question    TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    mode        TEXT NOT NULL CHECK (mode IN ('live', 'blind', 'native')),
    episode_id  INTEGER REFERENCES episodes (id) ON DELETE SET NULL,
    created_at  REAL NOT NULL,                -- unix seconds
    closes_at   REAL NOT NULL CHECK (closes_at > created_at),
    closed_at   REAL,
    -- Bumped by every vote; `shown` is the version the message last displayed, so a
    -- restart knows which messages are behind their votes.
    version     INTEGER NOT NULL DEFAULT 0,
    shown       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX polls_open_by_deadline ON polls (closes_at) WHERE closed_at IS NULL;
CREATE INDEX polls_by_episode ON polls (episode_id, closed_at);
CREATE INDEX polls_by_guild ON polls (guild_id, closed_at);

CREATE TABLE poll_options (
    poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    final_votes INTEGER,                      -- frozen when the poll closes
    PRIMARY KEY (poll_id, position)
) WITHOUT ROWID;

-- One vote per member per poll: the primary key says so, not the code.
CREATE TABLE votes (
    poll_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    voted_at REAL NOT NULL,
    PRIMARY KEY (poll_id, user_id),
    FOREIGN KEY (poll_id, position) REFERENCES poll_options (poll_id, position) ON DELETE CASCADE
) WITHOUT ROWID;
