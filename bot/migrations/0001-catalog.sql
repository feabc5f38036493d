-- The show catalog, loaded from the data files under data/.

CREATE TABLE shows (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    genres      TEXT NOT NULL DEFAULT '',
    runtime_min INTEGER CHECK (runtime_min > 0),
    runtime_max INTEGER CHECK (runtime_max >= runtime_min),
    source      TEXT NOT NULL
);
CREATE INDEX shows_by_title ON shows (title COLLATE NOCASE);

CREATE TABLE episodes (
    id              INTEGER PRIMARY KEY,
    show_id         INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    season          INTEGER NOT NULL CHECK (season >= 0),
    number          INTEGER NOT NULL CHECK (number >= 0),
    title           TEXT NOT NULL,
    synopsis        TEXT NOT NULL,
    recap           TEXT NOT NULL,
    ending          TEXT NOT NULL,
    runtime_minutes INTEGER CHECK (runtime_minutes > 0),
    air_date        TEXT,
    UNIQUE (show_id, season, number)
);

-- Reference links: for the show when episode_id is NULL, else for that episode.
CREATE TABLE links (
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    episode_id INTEGER REFERENCES episodes (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    url        TEXT NOT NULL
);
CREATE INDEX links_by_show ON links (show_id, episode_id, position);

-- Cast credits: show-wide when episode_id is NULL, else for that episode.
CREATE TABLE credits (
    show_id    INTEGER NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    episode_id INTEGER REFERENCES episodes (id) ON DELETE CASCADE,
    billing    INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    character  TEXT
);
CREATE INDEX credits_by_show ON credits (show_id, episode_id, billing);

CREATE TABLE preset_polls (
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    question   TEXT NOT NULL,
    options    TEXT NOT NULL CHECK (json_valid(options)),  -- a JSON array of strings
    PRIMARY KEY (episode_id, position)
);

CREATE TABLE spoiler_terms (
    episode_id INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    term       TEXT NOT NULL,
    PRIMARY KEY (episode_id, term)
);

-- Small facts the bot keeps about itself: data file digests, the synced command tree's hash.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
