-- /search: a full-text index of the current episodes, and the names its autocomplete offers.
--
-- episode_text indexes the episodes table in place (an external-content FTS5 table: the text
-- is not stored twice) and holds only current episodes, so a retired one is never found.
-- Triggers on episodes are the one mechanism that keeps it in step: imports, TVmaze refreshes,
-- retirements, removals and any later edit all go through them. FTS5 needs the old values to
-- remove a row, which is why the update trigger deletes with old.* before inserting new.*.

CREATE VIRTUAL TABLE episode_text USING fts5(
    title, synopsis, recap, ending,
    content = 'episodes', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- `ORDER BY rank` ranks with bm25, a title match weighing most, then the synopsis.
INSERT INTO episode_text (episode_text, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 1.0)');
INSERT INTO episode_text (rowid, title, synopsis, recap, ending)
    SELECT id, title, synopsis, recap, ending FROM episodes WHERE retired_at IS NULL;

CREATE TRIGGER episode_text_insert AFTER INSERT ON episodes WHEN new.retired_at IS NULL
BEGIN
    INSERT INTO episode_text (rowid, title, synopsis, recap, ending)
        VALUES (new.id, new.title, new.synopsis, new.recap, new.ending);
END;

CREATE TRIGGER episode_text_delete AFTER DELETE ON episodes WHEN old.retired_at IS NULL
BEGIN
    INSERT INTO episode_text (episode_text, rowid, title, synopsis, recap, ending)
        VALUES ('delete', old.id, old.title, old.synopsis, old.recap, old.ending);
END;

CREATE TRIGGER episode_text_update
    AFTER UPDATE OF title, synopsis, recap, ending, retired_at ON episodes
    WHEN old.title IS NOT new.title OR old.synopsis IS NOT new.synopsis
        OR old.recap IS NOT new.recap OR old.ending IS NOT new.ending
        OR (old.retired_at IS NULL) != (new.retired_at IS NULL)
BEGIN
    INSERT INTO episode_text (episode_text, rowid, title, synopsis, recap, ending)
        SELECT 'delete', old.id, old.title, old.synopsis, old.recap, old.ending
        WHERE old.retired_at IS NULL;
    INSERT INTO episode_text (rowid, title, synopsis, recap, ending)
        SELECT new.id, new.title, new.synopsis, new.recap, new.ending
        WHERE new.retired_at IS NULL;
END;

-- A search joins its matches to their episodes for the show and the position (to compare with
-- the member's progress) thousands of rows at a time: this index answers that without reading
-- each row's recap.
CREATE INDEX episodes_for_search ON episodes (id, show_id, season, number);

-- Names for /search's autocomplete: current show and episode titles, actors and characters,
-- each once (any case), with how many rows use it; a name leaves when its last use does.
-- Recap and ending words are never offered: a suggestion could spoil. catalog_names_text
-- finds a name by the start of any of its words ("kinn" finds "Joel Kinnaman").
CREATE TABLE catalog_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    uses INTEGER NOT NULL
);
CREATE VIRTUAL TABLE catalog_names_text USING fts5(
    name, content = 'catalog_names', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);

INSERT INTO catalog_names (name, uses)
    SELECT name, count(*) FROM (
        SELECT title AS name FROM shows WHERE retired_at IS NULL
        UNION ALL SELECT title FROM episodes WHERE retired_at IS NULL
        UNION ALL SELECT actor FROM credits
        UNION ALL SELECT character FROM credits WHERE character IS NOT NULL
    ) WHERE name != '' GROUP BY name COLLATE NOCASE;
INSERT INTO catalog_names_text (catalog_names_text) VALUES ('rebuild');

CREATE TRIGGER catalog_names_insert AFTER INSERT ON catalog_names
BEGIN
    INSERT INTO catalog_names_text (rowid, name) VALUES (new.id, new.name);
END;

CREATE TRIGGER catalog_names_delete AFTER DELETE ON catalog_names
BEGIN
    INSERT INTO catalog_names_text (catalog_names_text, rowid, name)
        VALUES ('delete', old.id, old.name);
END;

-- Each use adds one (`WHERE true` lets SQLite parse the upsert after a SELECT).
CREATE TRIGGER names_credit_insert AFTER INSERT ON credits
BEGIN
    INSERT INTO catalog_names (name, uses)
        SELECT value, 1 FROM (SELECT new.actor AS value UNION ALL SELECT new.character)
        WHERE value IS NOT NULL AND value != ''
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER names_credit_delete AFTER DELETE ON credits
BEGIN
    -- Once per use: an actor may play a character of their own name.
    UPDATE catalog_names SET uses = uses - (name = old.actor) - coalesce(name = old.character, 0)
        WHERE name IN (old.actor, old.character);
    DELETE FROM catalog_names WHERE uses <= 0 AND name IN (old.actor, old.character);
END;

CREATE TRIGGER names_credit_update AFTER UPDATE OF actor, character ON credits
BEGIN
    -- Once per use: an actor may play a character of their own name.
    UPDATE catalog_names SET uses = uses - (name = old.actor) - coalesce(name = old.character, 0)
        WHERE name IN (old.actor, old.character);
    DELETE FROM catalog_names WHERE uses <= 0 AND name IN (old.actor, old.character);
    INSERT INTO catalog_names (name, uses)
        SELECT value, 1 FROM (SELECT new.actor AS value UNION ALL SELECT new.character)
        WHERE value IS NOT NULL AND value != ''
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER names_episode_insert AFTER INSERT ON episodes
    WHEN new.retired_at IS NULL AND new.title != ''
BEGIN
    INSERT INTO catalog_names (name, uses) VALUES (new.title, 1)
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER names_episode_delete AFTER DELETE ON episodes WHEN old.retired_at IS NULL
BEGIN
    UPDATE catalog_names SET uses = uses - 1 WHERE name = old.title;
    DELETE FROM catalog_names WHERE uses <= 0 AND name = old.title;
END;

CREATE TRIGGER names_episode_update AFTER UPDATE OF title, retired_at ON episodes
    WHEN old.title IS NOT new.title OR (old.retired_at IS NULL) != (new.retired_at IS NULL)
BEGIN
    UPDATE catalog_names SET uses = uses - 1 WHERE name = old.title AND old.retired_at IS NULL;
    DELETE FROM catalog_names WHERE uses <= 0 AND name = old.title;
    INSERT INTO catalog_names (name, uses)
        SELECT new.title, 1 WHERE new.retired_at IS NULL AND new.title != ''
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER names_show_insert AFTER INSERT ON shows
    WHEN new.retired_at IS NULL AND new.title != ''
BEGIN
    INSERT INTO catalog_names (name, uses) VALUES (new.title, 1)
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;

CREATE TRIGGER names_show_delete AFTER DELETE ON shows WHEN old.retired_at IS NULL
BEGIN
    UPDATE catalog_names SET uses = uses - 1 WHERE name = old.title;
    DELETE FROM catalog_names WHERE uses <= 0 AND name = old.title;
END;

CREATE TRIGGER names_show_update AFTER UPDATE OF title, retired_at ON shows
    WHEN old.title IS NOT new.title OR (old.retired_at IS NULL) != (new.retired_at IS NULL)
BEGIN
    UPDATE catalog_names SET uses = uses - 1 WHERE name = old.title AND old.retired_at IS NULL;
    DELETE FROM catalog_names WHERE uses <= 0 AND name = old.title;
    INSERT INTO catalog_names (name, uses)
        SELECT new.title, 1 WHERE new.retired_at IS NULL AND new.title != ''
        ON CONFLICT (name) DO UPDATE SET uses = uses + 1;
END;
