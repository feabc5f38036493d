-- Servers that removed the bot: their data is deleted at purge_at (GUILD_DATA_DAYS after
-- left_at) unless the bot is added back first. Kept in the store so a restart in between
-- keeps the schedule.
CREATE TABLE departed_guilds (
    guild_id INTEGER PRIMARY KEY,
    left_at  REAL NOT NULL,
    purge_at REAL NOT NULL
);
CREATE INDEX departed_guilds_by_purge ON departed_guilds (purge_at);
