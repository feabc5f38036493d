-- Intentionally empty: held for another branch's 0019 so this branch's 0020 runs in order.
-- Migrations run in order without gaps (bot/store/__init__.py); drop this file at merge when
-- the real 0019 lands.
SELECT 1;
