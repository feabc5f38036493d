-- Watch parties that survive a bad day at Discord.

-- What each step of a party sent, part by part ('early', 'start', 'missed', 'active',
-- 'thread', 'unlock', 'poll', 'over', 'completed'), and how each step itself ended (a row
-- named after the step: 'early_reminded', 'reminded', 'ended'). A part is 'sending' from just
-- before its request until its answer is recorded ('done', with the message or thread id it
-- made), so a step resumed after a restart hours later, when Discord has long forgotten the
-- nonce, neither repeats what was sent nor loses what was not. 'skipped' says why a part or
-- a step did not act (it stopped making sense, or Discord refused it): never 'done'.
CREATE TABLE party_parts (
    party_id INTEGER NOT NULL REFERENCES watch_parties (id) ON DELETE CASCADE,
    part     TEXT NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('sending', 'done', 'skipped')),
    sent_id  INTEGER,
    reason   TEXT,
    at       REAL NOT NULL,
    PRIMARY KEY (party_id, part)
) WITHOUT ROWID;

-- A party being scheduled: set until its event and announcement exist, and until then no
-- step of it is due, so a schedule that fails half-way (and is undone) never reminds anyone.
ALTER TABLE watch_parties ADD COLUMN drafted_at REAL;

-- A discussion thread being created: claimed before the request, replaced by the thread's
-- row once it is known. A claim left behind (a crash, a busy database) sends the next
-- /discuss to look for the thread on Discord before it makes one.
CREATE TABLE thread_claims (
    guild_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    claimed_at REAL NOT NULL,
    PRIMARY KEY (guild_id, episode_id)
) WITHOUT ROWID;
