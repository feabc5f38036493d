-- SQLite's 0020 on PostgreSQL: the Discord language DMs to a member are written in.
CREATE TABLE member_locales (
    user_id BIGINT PRIMARY KEY,
    locale  TEXT NOT NULL
);
