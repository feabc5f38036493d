-- A large import fills the search indexes once, after its rows, instead of row by row.
--
-- Written by triggers, the FTS5 index of recaps cost a 20,000-episode import most of its
-- time: each episode's text was tokenised and merged into the index on its own. While the
-- meta key 'search:bulk' exists (bot/store/search_index.py sets it for a large import), the
-- triggers that keep episode_text and catalog_names_text in step do nothing; when the import
-- ends, both indexes are rebuilt from the tables in one transaction that also removes the key.
-- The key is written in a committed transaction, so a crash mid-import leaves it behind and
-- the next start rebuilds. Every other write (an edit in Discord, a single file, a retirement)
-- goes through the triggers as before.

DROP TRIGGER episode_text_insert;
DROP TRIGGER episode_text_delete;
DROP TRIGGER episode_text_update;
DROP TRIGGER catalog_names_insert;
DROP TRIGGER catalog_names_delete;

CREATE TRIGGER episode_text_insert AFTER INSERT ON episodes
    WHEN new.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search:bulk')
BEGIN
    INSERT INTO episode_text (rowid, title, synopsis, recap, ending)
        VALUES (new.id, new.title, new.synopsis, new.recap, new.ending);
END;

CREATE TRIGGER episode_text_delete AFTER DELETE ON episodes
    WHEN old.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search:bulk')
BEGIN
    INSERT INTO episode_text (episode_text, rowid, title, synopsis, recap, ending)
        VALUES ('delete', old.id, old.title, old.synopsis, old.recap, old.ending);
END;

CREATE TRIGGER episode_text_update
    AFTER UPDATE OF title, synopsis, recap, ending, retired_at ON episodes
    WHEN (old.title IS NOT new.title OR old.synopsis IS NOT new.synopsis
        OR old.recap IS NOT new.recap OR old.ending IS NOT new.ending
        OR (old.retired_at IS NULL) != (new.retired_at IS NULL))
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search:bulk')
BEGIN
    INSERT INTO episode_text (episode_text, rowid, title, synopsis, recap, ending)
        SELECT 'delete', old.id, old.title, old.synopsis, old.recap, old.ending
        WHERE old.retired_at IS NULL;
    INSERT INTO episode_text (rowid, title, synopsis, recap, ending)
        SELECT new.id, new.title, new.synopsis, new.recap, new.ending
        WHERE new.retired_at IS NULL;
END;

CREATE TRIGGER catalog_names_insert AFTER INSERT ON catalog_names
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search:bulk')
BEGIN
    INSERT INTO catalog_names_text (rowid, name) VALUES (new.id, new.name);
END;

CREATE TRIGGER catalog_names_delete AFTER DELETE ON catalog_names
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search:bulk')
BEGIN
    INSERT INTO catalog_names_text (catalog_names_text, rowid, name)
        VALUES ('delete', old.id, old.name);
END;
