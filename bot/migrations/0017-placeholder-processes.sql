-- Held for another branch merged beside this one; the lead replaces it at merge.
-- Migrations run in order without gaps (bot/store/__init__.py), so the slot stays.
SELECT 1;
