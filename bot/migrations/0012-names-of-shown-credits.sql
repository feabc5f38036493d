-- /search suggested the cast of removed (hidden) shows and of retired episodes: their names
-- were counted in while the show was imported and never out. The count now covers only the
-- show-wide cast of shows in the catalog and the cast of their current episodes
-- (bot/store/catalog_import.py, names_of_credits); this recounts every name once that way.
DELETE FROM catalog_names;
INSERT INTO catalog_names (name, uses)
    SELECT name, count(*) FROM (
        SELECT title AS name FROM shows WHERE retired_at IS NULL
        UNION ALL SELECT title FROM episodes WHERE retired_at IS NULL
        UNION ALL SELECT c.actor FROM credits AS c JOIN shows AS s ON s.id = c.show_id
            LEFT JOIN episodes AS e ON e.id = c.episode_id
            WHERE s.retired_at IS NULL AND (c.episode_id IS NULL OR e.retired_at IS NULL)
        UNION ALL SELECT c.character FROM credits AS c JOIN shows AS s ON s.id = c.show_id
            LEFT JOIN episodes AS e ON e.id = c.episode_id
            WHERE s.retired_at IS NULL AND (c.episode_id IS NULL OR e.retired_at IS NULL)
            AND c.character IS NOT NULL
    ) WHERE name != '' GROUP BY name COLLATE NOCASE;
INSERT INTO catalog_names_text (catalog_names_text) VALUES ('rebuild');
