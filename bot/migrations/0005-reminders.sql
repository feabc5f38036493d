-- Reminders that reach people: a role to ping, an early reminder, DMs to members interested
-- in a party's event, following shows, and each member's own time zone.

-- The role announcements and reminders ping (the only mention this bot ever lets through),
-- how long before a party starts the early reminder goes out (0: none), and where
-- new-episode alerts for followed shows are posted (NULL: by DM to each follower).
ALTER TABLE guild_settings ADD COLUMN reminder_role_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN reminder_lead_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (reminder_lead_minutes BETWEEN 0 AND 1440);
ALTER TABLE guild_settings ADD COLUMN follow_channel_id INTEGER;

-- When the early reminder is due (NULL: none, e.g. a party scheduled sooner than the lead),
-- claimed in early_reminded_at like every other step; dms_done_at marks the start DMs done.
ALTER TABLE watch_parties ADD COLUMN early_at REAL;
ALTER TABLE watch_parties ADD COLUMN early_reminded_at REAL;
ALTER TABLE watch_parties ADD COLUMN dms_done_at REAL;

-- One start DM per member per party: the key is claimed before the DM is sent, so a restart
-- in the middle never sends a second one.
CREATE TABLE party_dms (
    party_id INTEGER NOT NULL REFERENCES watch_parties (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    sent_at  REAL NOT NULL,
    outcome  TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'sent', 'closed')),
    PRIMARY KEY (party_id, user_id)
) WITHOUT ROWID;

-- Members who asked for no reminder DMs from this server (/reminders dm off).
CREATE TABLE reminder_opt_outs (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- A member's own time zone, the same in every server (/timezone set).
CREATE TABLE member_time_zones (
    user_id   INTEGER PRIMARY KEY,
    time_zone TEXT NOT NULL
);

-- /follow: a member is told when a new episode of the show arrives in the catalog.
CREATE TABLE follows (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    show_id     INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    followed_at REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id, show_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_show ON follows (show_id);

-- The episodes of followed shows already known, by code rather than row id so a re-import
-- that renumbers rows announces nothing: a catalog episode missing here is new. A show is
-- seeded with all its episodes when first followed, so its back catalogue is never announced.
CREATE TABLE known_episodes (
    show_id INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    season  INTEGER NOT NULL,
    number  INTEGER NOT NULL,
    PRIMARY KEY (show_id, season, number)
) WITHOUT ROWID;
