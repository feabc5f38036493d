-- Progress and the follows' "already announced" set point at episodes, not at numbers.
--
-- Until now both stored (season, number). Imports keep an episode's row (and id) when TVmaze
-- or a data file renumbers it, but a stored "S2E5" then meant whichever episode holds S2E5
-- now: a member was shown a recap they had not seen, and /follow announced an old episode
-- as new. From here on both store the episode's id; its current season and number come from
-- the episodes table, and a retired episode keeps its own, so "watched up to X" stays usable
-- after X leaves its file.
--
-- Each stored progress row becomes the episode it means today:
-- 1. the current episode at that season and number; else the latest retired one there;
-- 2. else (no episode at that place: one deleted before 0004) the last episode before it,
--    current before retired: the member is taken to have watched the same current episodes;
-- 3. else (nothing at or before it) the row moves, unchanged, to progress_unmapped: kept for
--    the record, never read by the bot (the member counts as not having set progress for
--    the show, so the server's rule for that applies), deleted by /progress clear.
-- known_episodes keeps every episode row, current or retired, at each code it listed.

CREATE TABLE progress_new (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE RESTRICT,
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE RESTRICT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id, show_id)
) WITHOUT ROWID;

CREATE TABLE progress_unmapped (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    show_id    INTEGER NOT NULL,
    season     INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id, show_id)
) WITHOUT ROWID;

INSERT INTO progress_new (guild_id, user_id, show_id, episode_id, updated_at)
    SELECT guild_id, user_id, show_id, episode_id, updated_at FROM (
        SELECT p.guild_id, p.user_id, p.show_id, p.updated_at, coalesce(
            (SELECT e.id FROM episodes AS e
                WHERE e.show_id = p.show_id AND e.season = p.season AND e.number = p.number
                ORDER BY e.retired_at IS NOT NULL, e.retired_at DESC LIMIT 1),
            (SELECT e.id FROM episodes AS e
                WHERE e.show_id = p.show_id AND (e.season, e.number) < (p.season, p.number)
                ORDER BY e.season DESC, e.number DESC, e.retired_at IS NOT NULL,
                    e.retired_at DESC
                LIMIT 1)
        ) AS episode_id FROM progress AS p
    ) WHERE episode_id IS NOT NULL;

INSERT INTO progress_unmapped (guild_id, user_id, show_id, season, number, updated_at)
    SELECT p.guild_id, p.user_id, p.show_id, p.season, p.number, p.updated_at
    FROM progress AS p WHERE NOT EXISTS (
        SELECT 1 FROM progress_new AS n
        WHERE n.guild_id = p.guild_id AND n.user_id = p.user_id AND n.show_id = p.show_id);

DROP TABLE progress;
ALTER TABLE progress_new RENAME TO progress;
CREATE INDEX progress_by_show ON progress (show_id);
CREATE INDEX progress_by_episode ON progress (episode_id);

-- An episode is news when its id is missing here, whatever its number becomes later.
CREATE TABLE known_episodes_new (
    episode_id INTEGER PRIMARY KEY REFERENCES episodes (id) ON DELETE CASCADE
);
INSERT OR IGNORE INTO known_episodes_new (episode_id)
    SELECT e.id FROM known_episodes AS k JOIN episodes AS e
        ON e.show_id = k.show_id AND e.season = k.season AND e.number = k.number;
DROP TABLE known_episodes;
ALTER TABLE known_episodes_new RENAME TO known_episodes;
