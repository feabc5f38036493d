-- Intentionally empty: this number was held for a branch that needed no migration.
-- Migrations run in order without gaps (bot/store/__init__.py), so the slot stays.
SELECT 1;
