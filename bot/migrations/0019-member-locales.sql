-- The Discord language a member's client last used with a command that leads to DMs
-- (/follow show, /reminders dm, the "I'm watching" button): DMs have no interaction to say
-- it, so they are written in it, else in the server's language. One per member, as a time
-- zone is; deleted with the rest by /privacy delete.
CREATE TABLE member_locales (
    user_id INTEGER PRIMARY KEY,
    locale  TEXT NOT NULL
);
