-- The names /search suggests, counted per show rather than per credit row: a trigger on every
-- credit made a 20,000-episode import spend seconds on ~260,000 name upserts. The import now
-- takes a show's credit names out before it rewrites them and counts them back in after, in
-- two statements (bot/store/catalog_import.py, names_of_credits); removing a show takes them
-- out first. Titles keep their triggers: one row per episode or show.
DROP TRIGGER names_credit_insert;
DROP TRIGGER names_credit_delete;
DROP TRIGGER names_credit_update;
