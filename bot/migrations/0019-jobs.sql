-- Work that belongs to no server (the daily TVmaze refresh of the catalog) runs in one process
-- of many that share this database: the one that claims the job's row first, until `until`.
-- An atomic UPDATE is the claim, so two processes waking together cannot both win.
CREATE TABLE jobs (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until REAL NOT NULL
);
