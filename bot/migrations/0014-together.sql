-- Choosing together: suggestions, votes among them, role-only polls, and who took part in a
-- watch party.

-- One suggestion per show per server: `show_key` is the show's TVmaze id when it has one
-- ('tvmaze:82'), else its catalog id ('show:3'), so a catalog show and the same show found on
-- TVmaze are one suggestion. A show not yet in the catalog has no show_id until it is added.
CREATE TABLE suggestions (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    show_key     TEXT NOT NULL,
    show_id      INTEGER REFERENCES shows (id) ON DELETE SET NULL,
    tvmaze_id    INTEGER,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    note         TEXT CHECK (length(note) <= 200),
    suggested_by INTEGER NOT NULL,
    suggested_at REAL NOT NULL,
    UNIQUE (guild_id, show_key)
);

-- A poll among suggestions: which suggestion each option stands for (copied, so the poll
-- still knows its options after a suggestion is withdrawn), and whether its winner was
-- announced (a restart between the close and the announcement announces it then).
CREATE TABLE suggestion_polls (
    poll_id      INTEGER PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL,
    announced_at REAL,
    winner       INTEGER                  -- the winning option's position; NULL: no votes
);
CREATE TABLE suggestion_poll_options (
    poll_id   INTEGER NOT NULL REFERENCES suggestion_polls (poll_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    show_key  TEXT NOT NULL,
    show_id   INTEGER REFERENCES shows (id) ON DELETE SET NULL,
    tvmaze_id INTEGER,
    title     TEXT NOT NULL,
    PRIMARY KEY (poll_id, position)
) WITHOUT ROWID;

-- Only members with this role may vote (NULL: everyone).
ALTER TABLE polls ADD COLUMN voters_role_id INTEGER;

-- Members who clicked "I'm watching" on a party's announcement or start reminder.
CREATE TABLE party_attendance (
    party_id INTEGER NOT NULL REFERENCES watch_parties (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    joined_at REAL NOT NULL,
    PRIMARY KEY (party_id, user_id)
) WITHOUT ROWID;

-- Members who asked that a watch party they took part in moves their progress
-- (/progress follow-parties on), per server.
CREATE TABLE party_followers (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- Progress a party moved, with what it was before (NULL: none), so the member can undo it.
-- One move per member per party: the key is claimed before progress is written, so a step
-- repeated after a restart moves nobody twice.
CREATE TABLE progress_moves (
    id            INTEGER PRIMARY KEY,
    party_id      INTEGER NOT NULL REFERENCES watch_parties (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    show_id       INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    -- Episode ids, like progress itself (migration 0009): a renumbering between the party
    -- and an undo still puts back the episode the member had watched.
    before_episode_id INTEGER REFERENCES episodes (id),
    after_episode_id  INTEGER NOT NULL REFERENCES episodes (id),
    moved_at      REAL NOT NULL,
    undone_at     REAL,
    UNIQUE (party_id, user_id)
);
