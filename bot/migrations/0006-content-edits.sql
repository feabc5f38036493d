-- Members write episode content from Discord (/episode edit): every change is a revision
-- with its author and time, and the live Discord edits override the data file's text.

-- Who may write content (NULL: Manage Server only), and where edits are announced.
ALTER TABLE guild_settings ADD COLUMN editor_role_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN content_log_channel_id INTEGER;

-- Every saved version of a field. `value` is the text, or for spoiler-terms and polls a JSON
-- array. author_id NULL is the data file's text, kept as the first revision when a field is
-- first edited, so it can be restored. One submission saves once: interaction_id is unique.
CREATE TABLE revisions (
    id             INTEGER PRIMARY KEY,
    episode_id     INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    field          TEXT NOT NULL
                   CHECK (field IN ('synopsis', 'recap', 'ending', 'spoiler-terms', 'polls')),
    value          TEXT NOT NULL,
    author_id      INTEGER,
    guild_id       INTEGER,
    created_at     REAL NOT NULL,
    reverted_from  INTEGER REFERENCES revisions (id) ON DELETE SET NULL,
    interaction_id INTEGER UNIQUE
);
CREATE INDEX revisions_by_field ON revisions (episode_id, field, id);

-- The fields whose live value was written in Discord, and by which revision. An import keeps
-- these (the file's value does not overwrite them) until the file says the same, when the
-- edit has reached the file (an export) and the row goes.
CREATE TABLE field_edits (
    episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    field       TEXT NOT NULL,
    revision_id INTEGER NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    PRIMARY KEY (episode_id, field)
) WITHOUT ROWID;
