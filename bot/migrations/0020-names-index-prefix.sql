-- The names /search's autocomplete offers are found by the start of any of their words
-- (0007). Their index kept prefix indexes of 1, 2 and 3 characters; only the first pays for
-- itself: with two or more characters typed, FTS5 reads the few matching terms as fast
-- without one (measured on 127,000 names: a few milliseconds either way), while each prefix
-- index costs a third of the index's build (a large import rebuilds it whole). The triggers
-- of 0013 name the table, not its options, and stay as they are.
DROP TABLE catalog_names_text;
CREATE VIRTUAL TABLE catalog_names_text USING fts5(
    name, content = 'catalog_names', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1'
);
INSERT INTO catalog_names_text (catalog_names_text) VALUES ('rebuild');
