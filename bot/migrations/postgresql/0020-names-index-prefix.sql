-- SQLite's 0020 rebuilds its FTS5 names index with fewer prefix indexes. PostgreSQL finds
-- names through catalog_names.name_words (a generated tsvector with a GIN index), which has
-- no such option: nothing to change, but the numbers stay in step.
SELECT 1;
